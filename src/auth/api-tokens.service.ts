import { createHash, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { Clock } from '../common/clock.js';
import { RateLimits } from '../common/throttling.js';
import { notFound } from '../common/domain-error.js';
import type { ApiToken } from './api-token.entity.js';
import { AuthRepository } from './auth.repository.js';
import type { Actor } from './roles.js';
import type {
  ApiTokenResponse,
  CreateApiTokenDto,
  CreatedApiTokenResponse,
} from './dto/auth.dto.js';

export const API_TOKEN_PREFIX = 'cirt_';
const DEFAULT_LIFETIME_DAYS = 90;

function digest(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function toResponse(token: ApiToken): ApiTokenResponse {
  return {
    id: token.id,
    name: token.name,
    expiresAt: token.expiresAt,
    lastUsedAt: token.lastUsedAt,
    revokedAt: token.revokedAt,
    createdAt: token.createdAt,
  };
}

@Injectable()
export class ApiTokensService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repository: AuthRepository,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly rateLimits: RateLimits,
  ) {}

  /**
   * The token itself is in the answer only: the database keeps its SHA-256. Held to the user's
   * hourly limit, for the API and the account page alike.
   */
  create(actor: Actor, dto: CreateApiTokenDto): Promise<CreatedApiTokenResponse> {
    return this.rateLimits.within('api-tokens', actor.user.id, () => this.insert(actor, dto));
  }

  private async insert(actor: Actor, dto: CreateApiTokenDto): Promise<CreatedApiTokenResponse> {
    const token = `${API_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
    const days = dto.expiresInDays ?? DEFAULT_LIFETIME_DAYS;
    const expiresAt = new Date(this.clock.now().getTime() + days * 86_400_000);
    return this.dataSource.transaction(async (manager) => {
      const saved = await this.repository.insertApiToken(
        { userId: actor.user.id, name: dto.name, tokenHash: digest(token), expiresAt },
        manager,
      );
      const created = toResponse(saved);
      await this.audit.record(manager, {
        actorId: actor.user.id,
        action: 'api_token.created',
        entityType: 'api_token',
        entityId: saved.id,
        after: created,
        requestId: actor.requestId,
      });
      return { ...created, token };
    });
  }

  /** The tokens of a user: the caller's own, or anyone's for an administrator (admin routes). */
  async list(userId: string): Promise<ApiTokenResponse[]> {
    const tokens = await this.repository.listApiTokens(userId);
    return tokens.map(toResponse);
  }

  /**
   * Revokes a live token of `ownerId`; any other token is answered as one that does not exist.
   * The caller revokes their own (ownerId = their id) or, as an administrator, anyone's.
   */
  async revoke(actor: Actor, id: string, ownerId: string = actor.user.id): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const token = await this.repository.findUnrevokedApiTokenForUpdate(id, ownerId, manager);
      if (!token) throw notFound(`API token ${id}`);
      const before = toResponse(token);
      token.revokedAt = this.clock.now();
      await this.repository.saveApiToken(token, manager);
      await this.audit.record(manager, {
        actorId: actor.user.id,
        action: 'api_token.revoked',
        entityType: 'api_token',
        entityId: id,
        before,
        after: toResponse(token),
        requestId: actor.requestId,
      });
    });
  }

  /** Revokes every live token of the user, in the caller's transaction (a password change). */
  async revokeAll(manager: EntityManager, userId: string): Promise<void> {
    await this.repository.revokeAllApiTokens(userId, this.clock.now(), manager);
  }

  /**
   * The live token, or null for an unknown, revoked or expired one. Notes the use, at most once a
   * minute so that a busy script does not write on every request.
   */
  async find(token: string): Promise<{ id: string; userId: string } | null> {
    return this.repository.findLiveApiTokenNotingUse(digest(token), this.clock.now());
  }
}
