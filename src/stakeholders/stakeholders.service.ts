import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AccessPolicy } from '../auth/access-policy.js';
import type { Actor } from '../auth/roles.js';
import { isUniqueViolation } from '../database/pg-errors.js';
import { AuditService } from '../audit/audit.service.js';
import { Clock } from '../common/clock.js';
import { AppConfig } from '../config/app-config.js';
import { newWebhookSecret } from '../notifications/channels/webhook.channel.js';
import { privateAddressOf } from '../notifications/channels/safe-address.js';
import { DomainError, invalidField, notFound } from '../common/domain-error.js';
import { CountriesService } from '../countries/countries.service.js';
import type {
  CreateStakeholderDto,
  StakeholderResponse,
  UpdateStakeholderDto,
} from './dto/stakeholder.dto.js';
import type { Stakeholder } from './stakeholder.entity.js';
import { StakeholderErrors, StakeholderFieldErrors } from './stakeholder.errors.js';
import { StakeholdersRepository } from './stakeholders.repository.js';

function toResponse(stakeholder: Stakeholder): StakeholderResponse {
  const { removedAt: _removed, webhookSecret: _secret, ...response } = stakeholder;
  return response;
}

const DUPLICATE = () => new DomainError(StakeholderErrors.stakeholder_exists);

@Injectable()
export class StakeholdersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly stakeholders: StakeholdersRepository,
    private readonly countries: CountriesService,
    private readonly policy: AccessPolicy,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  async list(actor: Actor, countryCode: string): Promise<StakeholderResponse[]> {
    this.policy.assertMayRead(actor.user, 'stakeholders');
    const country = await this.countries.getRef(countryCode);
    this.policy.assertCanRead(actor.user, country, `Country ${countryCode}`);
    const stakeholders = await this.stakeholders.currentOfCountry(countryCode);
    return stakeholders.map(toResponse);
  }

  async create(
    actor: Actor,
    countryCode: string,
    dto: CreateStakeholderDto,
  ): Promise<StakeholderResponse> {
    const country = await this.countries.getRef(countryCode);
    this.policy.assertCanWrite(actor.user, country, `Country ${countryCode}`);
    if (dto.webhookUrl) await this.assertReachable(dto.webhookUrl);
    const webhookSecret = dto.webhookUrl ? newWebhookSecret() : null;
    try {
      return await this.dataSource.transaction(async (manager) => {
        const saved = toResponse(
          await this.stakeholders.insert({ ...dto, countryCode, webhookSecret }, manager),
        );
        await this.audit.record(manager, {
          actorId: actor.user.id,
          action: 'stakeholder.created',
          entityType: 'stakeholder',
          entityId: saved.id,
          countryCode,
          after: saved,
          requestId: actor.requestId,
        });
        return webhookSecret ? { ...saved, webhookSecret } : saved;
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw DUPLICATE();
      throw error;
    }
  }

  async update(actor: Actor, id: string, dto: UpdateStakeholderDto): Promise<StakeholderResponse> {
    if (dto.webhookUrl) await this.assertReachable(dto.webhookUrl);
    try {
      return await this.dataSource.transaction(async (manager) => {
        const stakeholder = await this.findForWrite(actor, id, manager);
        const before = toResponse(stakeholder);
        for (const [key, value] of Object.entries(dto)) {
          if (value !== undefined) Object.assign(stakeholder, { [key]: value });
        }
        const secret = await this.stakeholders.webhookSecretOf(id, manager);
        const webhookSecret = stakeholder.webhookUrl && !secret ? newWebhookSecret() : undefined;
        if (webhookSecret) stakeholder.webhookSecret = webhookSecret;
        const after = toResponse(await this.stakeholders.save(stakeholder, manager));
        await this.audit.record(manager, {
          actorId: actor.user.id,
          action: 'stakeholder.updated',
          entityType: 'stakeholder',
          entityId: id,
          countryCode: stakeholder.countryCode,
          before,
          after,
          requestId: actor.requestId,
        });
        return webhookSecret ? { ...after, webhookSecret } : after;
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw DUPLICATE();
      throw error;
    }
  }

  /** Removes a stakeholder from the country's list; milestones they owned keep the reference. */
  async remove(actor: Actor, id: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const stakeholder = await this.findForWrite(actor, id, manager);
      stakeholder.removedAt = this.clock.now();
      await this.stakeholders.save(stakeholder, manager);
      await this.audit.record(manager, {
        actorId: actor.user.id,
        action: 'stakeholder.removed',
        entityType: 'stakeholder',
        entityId: id,
        countryCode: stakeholder.countryCode,
        before: toResponse(stakeholder),
        requestId: actor.requestId,
      });
    });
  }

  /** Refuses (400) a stakeholder named in `field` who is not a current one of the country; none is fine. */
  async assertBelongsToCountry(
    manager: EntityManager,
    stakeholderId: string | null | undefined,
    countryCode: string,
    field: string,
  ): Promise<void> {
    if (!stakeholderId) return;
    if (!(await this.stakeholders.isCurrentOfCountry(stakeholderId, countryCode, manager))) {
      throw invalidField(field, StakeholderFieldErrors.not_a_stakeholder_of, {
        country: countryCode,
      });
    }
  }

  /**
   * The secret that signs the stakeholder's webhooks, for the notifications that delivery sends
   * them (a stakeholder removed since keeps it); null if none.
   */
  webhookSecretOf(stakeholderId: string | null): Promise<string | null> {
    return this.stakeholders.webhookSecretOf(stakeholderId);
  }

  /** Refuses (400) a webhook inside private networks, unless WEBHOOK_ALLOW_PRIVATE. */
  private async assertReachable(url: string): Promise<void> {
    if (this.config.WEBHOOK_ALLOW_PRIVATE) return;
    const address = await privateAddressOf(new URL(url).hostname);
    if (address) {
      throw invalidField('webhookUrl', StakeholderFieldErrors.private_webhook_address, {
        address,
      });
    }
  }

  private async findForWrite(
    actor: Actor,
    id: string,
    manager: EntityManager,
  ): Promise<Stakeholder> {
    const stakeholder = await this.stakeholders.lockCurrent(id, manager);
    if (!stakeholder) throw notFound(`Stakeholder ${id}`);
    const country = await this.countries.getRef(stakeholder.countryCode);
    this.policy.assertCanWrite(actor.user, country, `Stakeholder ${id}`);
    return stakeholder;
  }
}
