import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { Actor } from '../auth/roles.js';
import { AuditService } from '../audit/audit.service.js';
import { Clock } from '../common/clock.js';
import { addDays, localDate } from '../common/dates.js';
import { NotFoundError } from '../common/domain-error.js';
import type { Page } from '../common/pagination.js';
import { assertVersion } from '../common/versioning.js';
import type { Phase } from '../programmes/programme.constants.js';
import { ProgrammeAccess, assertNotCancelled } from '../programmes/programme-access.service.js';
import { StakeholdersService } from '../stakeholders/stakeholders.service.js';
import defaultPlan from './default-plan.json' with { type: 'json' };
import type {
  CreateMilestoneDto,
  MilestoneResponse,
  MilestonesQuery,
  UpdateMilestoneDto,
} from './dto/milestone.dto.js';
import { OPEN_MILESTONE_STATUSES } from './milestone.constants.js';
import { Milestone } from './milestone.entity.js';

interface PlanItem {
  key: string;
  title: string;
  offsetDays: number;
}

const PLAN = defaultPlan as Record<Phase, PlanItem[]>;

function toResponse(milestone: Milestone, today: string): MilestoneResponse {
  const { planKey: _planKey, ...fields } = milestone;
  return {
    ...fields,
    overdue: OPEN_MILESTONE_STATUSES.includes(milestone.status) && milestone.dueDate < today,
  };
}

@Injectable()
export class MilestonesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly programmes: ProgrammeAccess,
    private readonly stakeholders: StakeholdersService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** A phase's default plan (DOMAIN.md), due relative to the day the phase was entered. */
  async createDefaults(
    manager: EntityManager,
    programme: { id: string; timezone: string },
    phase: Phase,
    enteredAt: Date,
  ): Promise<void> {
    const entered = localDate(enteredAt, programme.timezone);
    const items = PLAN[phase].map((item) => ({
      programmeId: programme.id,
      phase,
      title: item.title,
      dueDate: addDays(entered, item.offsetDays),
      planKey: item.key,
    }));
    if (items.length > 0) await manager.insert(Milestone, items);
  }

  async list(
    actor: Actor,
    programmeId: string,
    query: MilestonesQuery,
  ): Promise<Page<MilestoneResponse>> {
    const programme = await this.programmes.forRead(actor.user, programmeId);
    const today = localDate(this.clock.now(), programme.timezone);
    const builder = this.dataSource
      .getRepository(Milestone)
      .createQueryBuilder('m')
      .where('m.programme_id = :programmeId', { programmeId })
      .orderBy('m.due_date')
      .addOrderBy('m.created_at')
      .offset((query.page - 1) * query.pageSize)
      .limit(query.pageSize);
    if (query.phase) builder.andWhere('m.phase = :phase', { phase: query.phase });
    if (query.status) builder.andWhere('m.status = :status', { status: query.status });
    if (query.overdue === 'true') {
      builder.andWhere('m.status IN (:...open) AND m.due_date < :today', {
        open: OPEN_MILESTONE_STATUSES,
        today,
      });
    } else if (query.overdue === 'false') {
      builder.andWhere('NOT (m.status IN (:...open) AND m.due_date < :today)', {
        open: OPEN_MILESTONE_STATUSES,
        today,
      });
    }
    const [milestones, total] = await builder.getManyAndCount();
    return {
      items: milestones.map((milestone) => toResponse(milestone, today)),
      total,
      page: query.page,
      pageSize: query.pageSize,
    };
  }

  async create(
    actor: Actor,
    programmeId: string,
    dto: CreateMilestoneDto,
  ): Promise<MilestoneResponse> {
    return this.dataSource.transaction(async (manager) => {
      const programme = await this.programmes.forWrite(actor.user, programmeId, manager);
      assertNotCancelled(programme);
      await this.stakeholders.assertBelongsToCountry(
        manager,
        dto.ownerStakeholderId,
        programme.countryCode,
        'ownerStakeholderId',
      );
      const milestone = await manager.save(manager.create(Milestone, { ...dto, programmeId }));
      const created = toResponse(milestone, localDate(this.clock.now(), programme.timezone));
      await this.audit.record(manager, {
        actorId: actor.user.id,
        action: 'milestone.created',
        entityType: 'milestone',
        entityId: milestone.id,
        countryCode: programme.countryCode,
        after: created,
        requestId: actor.requestId,
      });
      return created;
    });
  }

  async update(actor: Actor, id: string, dto: UpdateMilestoneDto): Promise<MilestoneResponse> {
    return this.dataSource.transaction(async (manager) => {
      const milestone = await manager
        .getRepository(Milestone)
        .findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!milestone) throw new NotFoundError(`Milestone ${id}`);
      const programme = await this.programmes.forWrite(actor.user, milestone.programmeId, manager);
      const today = localDate(this.clock.now(), programme.timezone);
      assertVersion(milestone.version, dto.version, `Milestone ${id}`);
      assertNotCancelled(programme);
      await this.stakeholders.assertBelongsToCountry(
        manager,
        dto.ownerStakeholderId,
        programme.countryCode,
        'ownerStakeholderId',
      );

      const before = toResponse(milestone, today);
      const { version: _version, ...given } = dto;
      const changes: Partial<Milestone> = Object.fromEntries(
        Object.entries(given).filter(([, value]) => value !== undefined),
      );
      if (dto.status && dto.status !== before.status) {
        changes.completedAt = dto.status === 'done' ? this.clock.now() : null;
      }
      // One UPDATE (the version column counts itself up); save() would read the row again first.
      const { raw } = await manager
        .createQueryBuilder()
        .update(Milestone)
        .set(changes)
        .where('id = :id', { id })
        .returning(['version', 'updated_at'])
        .execute();
      Object.assign(milestone, changes, {
        version: raw[0].version,
        updatedAt: raw[0].updated_at,
      });
      const after = toResponse(milestone, today);
      await this.audit.record(manager, {
        actorId: actor.user.id,
        action: 'milestone.updated',
        entityType: 'milestone',
        entityId: id,
        countryCode: programme.countryCode,
        before,
        after,
        requestId: actor.requestId,
      });
      return after;
    });
  }
}
