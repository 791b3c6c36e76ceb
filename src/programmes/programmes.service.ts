import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import isoCountries from 'i18n-iso-countries';
import { DataSource } from 'typeorm';
import { AccessPolicy } from '../auth/access-policy.js';
import type { Actor, Principal } from '../auth/roles.js';
import { isUniqueViolation } from '../database/pg-errors.js';
import { AuditService } from '../audit/audit.service.js';
import { Clock } from '../common/clock.js';
import { localDate } from '../common/dates.js';
import { ValidationFieldErrors } from '../common/common.errors.js';
import { DomainError, invalidField, notFound } from '../common/domain-error.js';
import type { Page } from '../common/pagination.js';
import { assertVersion } from '../common/versioning.js';
import { CountriesService } from '../countries/countries.service.js';
import { MilestonesService } from '../milestones/milestones.service.js';
import type {
  CreateProgrammeDto,
  ProgrammeDetail,
  ProgrammeSummary,
  ProgrammesQuery,
  UpdateProgrammeDto,
} from './dto/programme.dto.js';
import { assertNotCancelled } from './programme-access.service.js';
import { ProgrammeDetailQuery } from './programme-detail.query.js';
import { ProgrammeListQuery } from './programme-list.query.js';
import { ProgrammeErrors, ProgrammeFieldErrors } from './programme.errors.js';
import { ProgrammesRepository } from './programmes.repository.js';

function defaultTitle(dto: CreateProgrammeDto): string {
  const country = isoCountries.getName(dto.countryCode, 'en') ?? dto.countryCode;
  const kind =
    dto.cirtType === 'sectoral'
      ? `${dto.sector} sector`
      : dto.cirtType === 'national'
        ? 'National'
        : 'Government';
  return `${kind[0].toUpperCase()}${kind.slice(1)} CIRT of ${country}`;
}

function datesInOrder(start: string | null | undefined, target: string | null | undefined): void {
  if (start && target && target < start) {
    throw invalidField('targetDate', ProgrammeFieldErrors.target_before_start);
  }
}

const ACTIVE_EXISTS = (dto: { countryCode: string; cirtType: string; sector?: string | null }) =>
  new DomainError(ProgrammeErrors.programme_exists, {
    country: dto.countryCode,
    cirtType: dto.cirtType,
    hasSector: dto.sector ? 'yes' : 'no',
    sector: dto.sector,
  });

@Injectable()
export class ProgrammesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repository: ProgrammesRepository,
    private readonly listQuery: ProgrammeListQuery,
    private readonly detailQuery: ProgrammeDetailQuery,
    private readonly countries: CountriesService,
    private readonly milestones: MilestonesService,
    private readonly policy: AccessPolicy,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  list(actor: Actor, query: ProgrammesQuery): Promise<Page<ProgrammeSummary>> {
    return this.listQuery.list(actor.user, query);
  }

  async get(user: Principal, id: string): Promise<ProgrammeDetail> {
    const programme = await this.listQuery.one(user, id);
    if (!programme) throw notFound(`Programme ${id}`);
    const latest = await this.detailQuery.latestStatusUpdate(id);
    // Everyone sees how a programme is doing; what its team wrote, only those who may read it.
    const latestStatusUpdate =
      latest && !this.policy.mayRead(user, 'statusUpdates')
        ? { health: latest.health, createdAt: latest.createdAt }
        : (latest ?? null);
    const latestAssessments = await this.detailQuery.latestAssessments(id);
    const pendingTransition = await this.detailQuery.pendingTransition(id);
    return {
      ...programme,
      pendingTransition: pendingTransition ?? null,
      latestStatusUpdate,
      latestAssessments,
    };
  }

  async create(actor: Actor, dto: CreateProgrammeDto): Promise<ProgrammeDetail> {
    if ((dto.cirtType === 'sectoral') !== (dto.sector !== undefined)) {
      throw invalidField('sector', ProgrammeFieldErrors.sector_for_sectoral_only);
    }
    datesInOrder(dto.startDate, dto.targetDate);
    const country = await this.countries.getRef(dto.countryCode).catch(() => {
      throw invalidField('countryCode', ValidationFieldErrors.country_not_tracked, {
        country: dto.countryCode,
      });
    });
    this.policy.assertCanWrite(actor.user, country, `Country ${dto.countryCode}`);

    const now = this.clock.now();
    let id: string;
    try {
      id = await this.dataSource.transaction(async (manager) => {
        const programme = await this.repository.insert(
          {
            countryCode: dto.countryCode,
            cirtType: dto.cirtType,
            sector: dto.sector ?? null,
            title: dto.title ?? defaultTitle(dto),
            phase: 'readiness_assessment',
            phaseEnteredAt: now,
            startDate: dto.startDate ?? localDate(now, country.timezone),
            targetDate: dto.targetDate ?? null,
          },
          manager,
        );
        await this.milestones.createDefaults(
          manager,
          { id: programme.id, timezone: country.timezone },
          'readiness_assessment',
          now,
        );
        await this.audit.record(manager, {
          actorId: actor.user.id,
          action: 'programme.created',
          entityType: 'programme',
          entityId: programme.id,
          countryCode: programme.countryCode,
          after: programme,
          requestId: actor.requestId,
        });
        return programme.id;
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw ACTIVE_EXISTS(dto);
      throw error;
    }
    return this.get(actor.user, id);
  }

  async update(actor: Actor, id: string, dto: UpdateProgrammeDto): Promise<ProgrammeDetail> {
    try {
      await this.dataSource.transaction(async (manager) => {
        const programme = await this.repository.findAndLock(id, manager);
        if (!programme) throw notFound(`Programme ${id}`);
        const country = await this.countries.getRef(programme.countryCode);
        this.policy.assertCanWrite(actor.user, country, `Programme ${id}`);
        assertVersion(programme.version, dto.version, `Programme ${id}`);
        assertNotCancelled(programme);

        const before = { ...programme };
        const status = dto.status ?? programme.status;
        const holdReason = status === 'on_hold' ? (dto.holdReason ?? programme.holdReason) : null;
        if (status === 'on_hold' && !holdReason) {
          throw invalidField('holdReason', ProgrammeFieldErrors.hold_reason_required);
        }
        if (status !== 'on_hold' && dto.holdReason) {
          throw invalidField('holdReason', ProgrammeFieldErrors.hold_reason_only_on_hold);
        }
        const startDate = dto.startDate !== undefined ? dto.startDate : programme.startDate;
        const targetDate = dto.targetDate !== undefined ? dto.targetDate : programme.targetDate;
        datesInOrder(startDate, targetDate);

        Object.assign(programme, {
          title: dto.title ?? programme.title,
          status,
          holdReason,
          startDate,
          targetDate,
        });
        const after = await this.repository.save(programme, manager);
        await this.audit.record(manager, {
          actorId: actor.user.id,
          action: 'programme.updated',
          entityType: 'programme',
          entityId: id,
          countryCode: programme.countryCode,
          before,
          after,
          requestId: actor.requestId,
        });
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new DomainError(ProgrammeErrors.programme_exists_of_kind);
      }
      throw error;
    }
    return this.get(actor.user, id);
  }
}
