import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AccessPolicy } from '../auth/access-policy.js';
import type { Actor } from '../auth/roles.js';
import { AuditService } from '../audit/audit.service.js';
import { Clock } from '../common/clock.js';
import { addDays, localDate } from '../common/dates.js';
import { notFound } from '../common/domain-error.js';
import { EventNotifier } from '../events/event-notifier.service.js';
import type { Page } from '../common/pagination.js';
import { assertVersion } from '../common/versioning.js';
import type { Phase } from '../programmes/programme.constants.js';
import { ProgrammeAccess, assertNotCancelled } from '../programmes/programme-access.service.js';
import { StakeholdersService } from '../stakeholders/stakeholders.service.js';
import type {
  CreateMilestoneDto,
  MilestoneResponse,
  MilestonesQuery,
  UpdateMilestoneDto,
} from './dto/milestone.dto.js';
import { isOverdueMilestone } from './milestone.sql.js';
import { PLAN, milestoneTitle } from './milestone-title.js';
import { LOCALES, type Locale } from '../messages/locales.js';
import type { Milestone } from './milestone.entity.js';
import { type MilestoneChanges, MilestonesRepository } from './milestones.repository.js';

function toResponse(milestone: Milestone, today: string): MilestoneResponse {
  return { ...milestone, overdue: isOverdueMilestone(milestone, today) };
}

@Injectable()
export class MilestonesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repository: MilestonesRepository,
    private readonly programmes: ProgrammeAccess,
    private readonly policy: AccessPolicy,
    private readonly stakeholders: StakeholdersService,
    private readonly audit: AuditService,
    private readonly events: EventNotifier,
    private readonly clock: Clock,
  ) {}

  /** A phase's default plan (docs/domain.md), due relative to the day the phase was entered. */
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
    if (items.length > 0) await this.repository.insertMany(items, manager);
  }

  /**
   * The titles of a phase's open milestones (milestone.sql.ts), by due date and title: what
   * keeps a programme's phase gate closed. In the caller's transaction.
   */
  openInPhase(
    programmeId: string,
    phase: Phase,
    manager?: EntityManager,
  ): Promise<{ title: string }[]> {
    return this.repository.findOpenTitles(programmeId, phase, manager);
  }

  async list(
    actor: Actor,
    programmeId: string,
    query: MilestonesQuery,
  ): Promise<Page<MilestoneResponse>> {
    this.policy.assertMayRead(actor.user, 'milestones');
    const programme = await this.programmes.forRead(actor.user, programmeId);
    return this.repository.page(programmeId, programme.timezone, this.clock.now(), query);
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
      const milestone = await this.repository.insert({ ...dto, programmeId }, manager);
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

  /**
   * Reads without a lock and writes in one statement that checks the version again, so a PATCH
   * costs no transaction of its own: the update and its audit event commit together, and a
   * concurrent change or cancellation in between makes the statement change nothing. Only a
   * change to `blocked` takes a transaction, so that its notifications commit with it.
   */
  async update(actor: Actor, id: string, dto: UpdateMilestoneDto): Promise<MilestoneResponse> {
    const milestone = await this.repository.findById(id);
    if (!milestone) throw notFound(`Milestone ${id}`);
    const programme = await this.programmes.forWrite(
      actor.user,
      milestone.programmeId,
      undefined,
      `Milestone ${id}`,
    );
    assertVersion(milestone.version, dto.version, `Milestone ${id}`);
    assertNotCancelled(programme);
    await this.stakeholders.assertBelongsToCountry(
      this.dataSource.manager,
      dto.ownerStakeholderId,
      programme.countryCode,
      'ownerStakeholderId',
    );

    const now = this.clock.now();
    const today = localDate(now, programme.timezone);
    const { version: _version, ...given } = dto;
    const changes: MilestoneChanges = Object.fromEntries(
      Object.entries(given).filter(([, value]) => value !== undefined),
    );
    if (dto.status && dto.status !== milestone.status) {
      changes.completedAt = dto.status === 'done' ? now : null;
    }
    const before = toResponse(milestone, today);
    const after = toResponse(
      { ...milestone, ...changes, version: milestone.version + 1, updatedAt: now },
      today,
    );

    const audit = (firstParameter: number) =>
      this.audit.insertPerRow(
        'updated',
        {
          actorId: actor.user.id,
          action: 'milestone.updated',
          entityType: 'milestone',
          entityId: id,
          countryCode: programme.countryCode,
          before,
          after,
          requestId: actor.requestId,
        },
        firstParameter,
      );
    const blocked = dto.status === 'blocked' && milestone.status !== 'blocked';
    const write = async (manager: EntityManager): Promise<unknown[]> => {
      const written = await this.repository.updateAtVersion(
        id,
        dto.version,
        milestone.programmeId,
        changes,
        now,
        audit,
        manager,
      );
      if (written.length > 0 && blocked) {
        await this.events.notify(manager, {
          kind: 'milestone_blocked',
          subject: `${id}:${after.version}`,
          actor: actor.user,
          programmeId: milestone.programmeId,
          milestoneTitles: Object.fromEntries(
            LOCALES.map((locale) => [locale, milestoneTitle(after, locale).text]),
          ) as Record<Locale, string>,
        });
      }
      return written;
    };
    const written = blocked
      ? await this.dataSource.transaction(write)
      : await write(this.dataSource.manager);
    // Changed or cancelled since it was read: the checks on a fresh read say which.
    if (written.length === 0) return this.update(actor, id, dto);
    return after;
  }
}
