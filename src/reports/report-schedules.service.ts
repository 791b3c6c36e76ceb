import { InjectQueue } from '@nestjs/bullmq';
import type { AuditAction } from '../audit/audit-actions.js';
import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Queue } from 'bullmq';
import { CronExpressionParser } from 'cron-parser';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { Actor, Principal, Role } from '../auth/roles.js';
import { Clock } from '../common/clock.js';
import { DomainError, invalidField, notFound } from '../common/domain-error.js';
import type { Page, PageQuery } from '../common/pagination.js';
import { AppConfig } from '../config/app-config.js';
import { resolveLocale } from '../messages/locales.js';
import { UserChanges } from '../users/user-changes.js';
import { QueueName, ReportJob, type ScheduledReportJobData } from '../queues/queue-names.js';
import type {
  CreateReportScheduleDto,
  ReportResponse,
  ReportScheduleResponse,
} from './dto/report.dto.js';
import { ReportOutbox } from './report-outbox.service.js';
import { ReportScopes, scopeKey } from './report-scope.js';
import { type PauseReason, ReportsRepository, type ScheduleRow } from './reports.repository.js';
import { firesMoreOftenThanHourly } from './schedule-frequency.js';
import { ReportErrors, ReportFieldErrors } from './report.errors.js';

/** Schedules a user may own, paused ones included. */
export const MAX_SCHEDULES_PER_USER = 20;

/** What users.service knows of a user it has just changed. */
export interface ScheduleOwner {
  id: string;
  role: Role;
  countryCode: string | null;
  regionCode: string | null;
  disabled: boolean;
}

/** Job schedulers of report schedules are named after them; other schedulers are left alone. */
const schedulerId = (scheduleId: string) => `report-schedule:${scheduleId}`;

/**
 * Report schedules. PostgreSQL holds them; each running one has a BullMQ job scheduler that
 * fires its runs across all replicas. The relay tick puts back schedulers Redis lost and drops
 * those of deleted or paused schedules, so a schedule written while Redis was away still runs.
 *
 * A schedule works for its owner (created_by): it pauses when the owner is disabled or no longer
 * covers its scope, and only an administrator or ITU PM resumes or reassigns it.
 */
@Injectable()
export class ReportSchedulesService implements OnModuleInit {
  private readonly logger = new Logger(ReportSchedulesService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectQueue(QueueName.Reports) private readonly queue: Queue,
    private readonly reports: ReportsRepository,
    private readonly outbox: ReportOutbox,
    private readonly audit: AuditService,
    private readonly scopes: ReportScopes,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly userChanges: UserChanges,
  ) {}

  /** A user's new role or scope, or disabling, pauses their schedules it no longer covers. */
  onModuleInit(): void {
    this.userChanges.subscribe(async (manager, change) => {
      if (!change.accessChanged) return;
      await this.pauseUncovered(manager, change.user, change.requestId, change.actorId);
    });
  }

  async create(actor: Actor, dto: CreateReportScheduleDto): Promise<ReportScheduleResponse> {
    const scope = await this.scopes.authorise(actor.user, dto.scope);
    const cron = dto.cron.trim();
    const timezone = dto.timezone ?? 'UTC';
    if (firesMoreOftenThanHourly(cron, timezone, this.clock.now())) {
      throw invalidField('cron', ReportFieldErrors.schedule_too_frequent);
    }
    const refused = await this.reports.refusedRecipients(
      dto.recipients,
      this.config.reportRecipientDomains,
    );
    if (refused.length > 0) {
      throw invalidField('recipients', ReportFieldErrors.recipients_refused, {
        refused: refused.join(', '),
      });
    }
    const schedule = await this.dataSource.transaction(async (manager) => {
      await this.assertRoomFor(manager, actor.user.id);
      const row = await this.reports.insertSchedule(
        {
          createdBy: actor.user.id,
          cron,
          timezone,
          scope,
          scopeKey: scopeKey(scope),
          formats: dto.formats,
          recipients: dto.recipients,
          locale: dto.locale ?? resolveLocale(actor.user.locale),
        },
        manager,
      );
      await this.audit.record(manager, {
        actorId: actor.user.id,
        action: 'report_schedule.created',
        entityType: 'report_schedule',
        entityId: row.id,
        after: row,
        requestId: actor.requestId,
      });
      return row;
    });
    await this.register(schedule);
    return this.withNextRun(schedule);
  }

  async list(user: Principal, query: PageQuery): Promise<Page<ReportScheduleResponse>> {
    const page = await this.reports.pageSchedules(this.scopes.visibility(user), query);
    return { ...page, items: page.items.map((row) => this.withNextRun(row)) };
  }

  async get(user: Principal, id: string): Promise<ReportScheduleResponse> {
    const row = await this.reports.findSchedule(id, this.scopes.visibility(user));
    if (!row) throw notFound(`Report schedule ${id}`);
    return this.withNextRun(row);
  }

  /** Stops the schedule; the reports it made stay. */
  async remove(actor: Actor, id: string): Promise<void> {
    const before = await this.get(actor.user, id);
    await this.dataSource.transaction(async (manager) => {
      await this.reports.deleteSchedule(id, manager);
      await this.audit.record(manager, {
        actorId: actor.user.id,
        action: 'report_schedule.deleted',
        entityType: 'report_schedule',
        entityId: id,
        before,
        requestId: actor.requestId,
      });
    });
    await this.unregister(id);
  }

  /** Runs a paused schedule again, if its owner covers its scope once more (else 422). */
  async resume(actor: Actor, id: string): Promise<ReportScheduleResponse> {
    const schedule = await this.dataSource.transaction(async (manager) => {
      const current = await this.lockWithOwnerReason(manager, id);
      if (!current.paused) {
        throw new DomainError(ReportErrors.report_schedule_not_paused, { id });
      }
      if (current.ownerReason) throw this.ownerRefusal(current.ownerReason);
      return this.unpause(manager, actor, id, 'report_schedule.resumed', current.createdBy);
    });
    await this.register(schedule);
    return this.withNextRun(schedule);
  }

  /**
   * Stops a running schedule until an administrator or ITU PM resumes it, with the reason given
   * (if any) shown beside it; its job scheduler goes after the commit.
   */
  async pauseByHand(
    actor: Actor,
    id: string,
    reason: string | undefined,
  ): Promise<ReportScheduleResponse> {
    const schedule = await this.dataSource.transaction(async (manager) => {
      const current = await this.lockWithOwnerReason(manager, id);
      if (current.paused) {
        throw new DomainError(ReportErrors.report_schedule_already_paused, { id });
      }
      const before = await this.reports.scheduleById(id, manager);
      const after = await this.reports.pauseSchedule(id, reason ?? null, this.clock.now(), manager);
      await this.audit.record(manager, {
        actorId: actor.user.id,
        action: 'report_schedule.paused',
        entityType: 'report_schedule',
        entityId: id,
        before,
        after,
        requestId: actor.requestId,
      });
      return after;
    });
    await this.unregister(id);
    return this.withNextRun(schedule);
  }

  /** The newest report of each of these schedules, by schedule id, as the user may read them. */
  async lastReports(user: Principal, scheduleIds: string[]): Promise<Map<string, ReportResponse>> {
    if (scheduleIds.length === 0) return new Map();
    const reports = await this.reports.lastReportsOfSchedules(
      scheduleIds,
      this.scopes.visibility(user),
    );
    return new Map(reports.map((report) => [report.scheduleId!, report]));
  }

  /** Gives the schedule to another user who covers its scope; a paused one runs again. */
  async reassign(actor: Actor, id: string, userId: string): Promise<ReportScheduleResponse> {
    const schedule = await this.dataSource.transaction(async (manager) => {
      const current = await this.lockWithOwnerReason(manager, id);
      const owner = await this.reports.ownerReasonFor(id, userId, manager);
      if (!owner) throw invalidField('userId', ReportFieldErrors.no_such_user, { id: userId });
      if (owner.reason) throw this.ownerRefusal(owner.reason);
      if (userId !== current.createdBy) await this.assertRoomFor(manager, userId);
      return this.unpause(manager, actor, id, 'report_schedule.reassigned', userId);
    });
    await this.register(schedule);
    return this.withNextRun(schedule);
  }

  /**
   * Pauses, in the caller's transaction, every running schedule of this user that they no
   * longer cover (all of them once disabled), with an audit event each. For the users service,
   * right after it changes a user's role, scope or disabled flag. The relay tick then drops their
   * job schedulers; a run that fires meanwhile finds the schedule paused.
   */
  async pauseUncovered(
    manager: EntityManager,
    user: ScheduleOwner,
    requestId: string,
    actorId: string | null = null,
  ): Promise<void> {
    const uncovered = await this.reports.lockSchedulesUncoveredBy(user, manager);
    for (const schedule of uncovered) {
      await this.pause(manager, schedule.id, schedule.reason, actorId, requestId);
    }
  }

  /** Makes Redis's job schedulers match the running schedules. */
  async syncSchedulers(): Promise<void> {
    const schedules = await this.reports.runningSchedules();
    const wanted = new Set(schedules.map((schedule) => schedulerId(schedule.id)));
    const existing = new Set(
      (await this.queue.getJobSchedulers(0, -1))
        .map((scheduler) => scheduler.key)
        .filter((key) => key.startsWith(schedulerId(''))),
    );
    for (const schedule of schedules) {
      if (!existing.has(schedulerId(schedule.id))) await this.register(schedule);
    }
    for (const key of existing) {
      if (!wanted.has(key)) await this.queue.removeJobScheduler(key);
    }
  }

  /**
   * One run of a schedule: a queued report that e-mails its files to the recipients when done.
   * A run fired twice (a retried job) makes one report. The owner is checked again first: a
   * schedule whose owner no longer covers it pauses instead, and recipients who may no longer
   * receive reports are left out (none left: it pauses too).
   */
  async run(job: ScheduledReportJobData, firedAt: Date): Promise<void> {
    const outcome = await this.dataSource.transaction(async (manager) => {
      const schedule = await this.reports.lockScheduleForRun(job.scheduleId, manager);
      if (!schedule || schedule.paused) return { stop: true };
      if (schedule.ownerReason) {
        await this.pause(manager, job.scheduleId, schedule.ownerReason, null, null);
        return { stop: true };
      }
      const refused = await this.reports.refusedRecipients(
        schedule.recipients,
        this.config.reportRecipientDomains,
        manager,
      );
      const recipients = schedule.recipients.filter((address) => !refused.includes(address));
      if (recipients.length === 0) {
        await this.pause(manager, job.scheduleId, 'no_recipients', null, null);
        return { stop: true };
      }
      const reportId = await this.reports.insertScheduledReport(
        job.scheduleId,
        firedAt,
        recipients,
        manager,
      );
      return { stop: false, reportId };
    });
    if (outcome.stop) await this.unregister(job.scheduleId);
    // As for a report asked by hand: if Redis refuses the job, the relay tick queues it later.
    if (outcome.reportId) await this.outbox.queueCompile(outcome.reportId);
  }

  /** 409 when the user owns MAX_SCHEDULES_PER_USER schedules; holds them to that until commit. */
  private async assertRoomFor(manager: EntityManager, userId: string): Promise<void> {
    const owned = await this.reports.lockAndCountSchedulesOf(userId, manager);
    if (owned >= MAX_SCHEDULES_PER_USER) {
      throw new DomainError(ReportErrors.schedule_limit_reached, { max: MAX_SCHEDULES_PER_USER });
    }
  }

  private async lockWithOwnerReason(manager: EntityManager, id: string) {
    const schedule = await this.reports.lockScheduleWithOwnerReason(id, manager);
    if (!schedule) throw notFound(`Report schedule ${id}`);
    return schedule;
  }

  private ownerRefusal(reason: PauseReason): DomainError {
    return new DomainError(ReportErrors.owner_does_not_cover_scope, { reason });
  }

  private async pause(
    manager: EntityManager,
    id: string,
    reason: PauseReason,
    actorId: string | null,
    requestId: string | null,
  ): Promise<void> {
    const after = await this.reports.pauseSchedule(id, reason, this.clock.now(), manager);
    await this.audit.record(manager, {
      actorId,
      action: 'report_schedule.paused',
      entityType: 'report_schedule',
      entityId: id,
      before: { paused: false },
      after,
      requestId,
    });
    this.logger.log(`Report schedule ${id} paused: ${reason}`);
  }

  private async unpause(
    manager: EntityManager,
    actor: Actor,
    id: string,
    action: AuditAction,
    ownerId: string,
  ): Promise<ScheduleRow> {
    const before = await this.reports.scheduleById(id, manager);
    const after = await this.reports.unpauseSchedule(id, ownerId, manager);
    await this.audit.record(manager, {
      actorId: actor.user.id,
      action,
      entityType: 'report_schedule',
      entityId: id,
      before,
      after,
      requestId: actor.requestId,
    });
    return after;
  }

  /** After the commit; if Redis is away, the relay tick registers it later. */
  private async register(schedule: ScheduleRow): Promise<void> {
    await this.queue
      .upsertJobScheduler(
        schedulerId(schedule.id),
        { pattern: schedule.cron, tz: schedule.timezone },
        { name: ReportJob.Scheduled, data: { scheduleId: schedule.id } },
      )
      .catch((error: Error) => {
        this.logger.warn(`Schedule ${schedule.id} waits for the relay tick: ${error.message}`);
      });
  }

  private async unregister(id: string): Promise<void> {
    await this.queue.removeJobScheduler(schedulerId(id)).catch((error: Error) => {
      this.logger.warn(`Schedule ${id}'s scheduler waits for the relay tick: ${error.message}`);
    });
  }

  private withNextRun(schedule: ScheduleRow): ReportScheduleResponse {
    if (schedule.paused) return { ...schedule, nextRunAt: null };
    const next = CronExpressionParser.parse(schedule.cron, {
      tz: schedule.timezone,
      currentDate: this.clock.now(),
    }).next();
    return { ...schedule, nextRunAt: next.toDate().toISOString() };
  }
}
