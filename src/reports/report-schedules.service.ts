import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Queue } from 'bullmq';
import { CronExpressionParser } from 'cron-parser';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { Actor, Principal, Role } from '../auth/roles.js';
import { Clock } from '../common/clock.js';
import { DomainError, invalidField, notFound } from '../common/domain-error.js';
import { type Page, type PageQuery, paginate } from '../common/pagination.js';
import { AppConfig } from '../config/app-config.js';
import { UserChanges } from '../users/user-changes.js';
import { QueueName, ReportJob, type ScheduledReportJobData } from '../queues/queue-names.js';
import type { CreateReportScheduleDto, ReportScheduleResponse } from './dto/report.dto.js';
import { ReportScopes, scopeKey, uncoveredReasonSql } from './report-scope.js';
import { firesMoreOftenThanHourly } from './schedule-frequency.js';
import { ReportErrors, ReportFieldErrors } from './report.errors.js';

/** Schedules a user may own, paused ones included. */
export const MAX_SCHEDULES_PER_USER = 20;

const COLUMNS = `s.id, s.cron, s.timezone, s.scope, s.formats, s.recipients, s.created_by AS "createdBy",
  s.created_at AS "createdAt", s.paused, s.paused_reason AS "pausedReason", s.paused_at AS "pausedAt"`;

/** Why a schedule stopped: its owner's state (see uncoveredReasonSql), or no recipient left. */
type PauseReason = 'owner_missing' | 'owner_disabled' | 'owner_scope_changed' | 'no_recipients';

/** A schedule as its columns (COLUMNS) read it. */
type ScheduleRow = Omit<ReportScheduleResponse, 'nextRunAt'>;

/** What users.service knows of a user it has just changed. */
export interface ScheduleOwner {
  id: string;
  role: Role;
  countryCode: string | null;
  regionCode: string | null;
  disabled: boolean;
}

/** The owner's columns, joined as `u` beside the schedule `s`. */
const OWNER_REASON = uncoveredReasonSql(
  { id: 'u.id', role: 'u.role', regionCode: 'u.region_code', disabled: 'u.disabled' },
  's.scope',
);

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
    const refused = await this.refusedRecipients(this.dataSource.manager, dto.recipients);
    if (refused.length > 0) {
      throw invalidField('recipients', ReportFieldErrors.recipients_refused, {
        refused: refused.join(', '),
      });
    }
    const schedule = await this.dataSource.transaction(async (manager) => {
      await this.assertRoomFor(manager, actor.user.id);
      const [row] = await manager.query(
        `WITH s AS (
           INSERT INTO report_schedules (created_by, cron, timezone, scope, scope_key, formats, recipients)
           VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *
         )
         SELECT ${COLUMNS} FROM s`,
        [actor.user.id, cron, timezone, scope, scopeKey(scope), dto.formats, dto.recipients],
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
    const params: unknown[] = [];
    const where = this.scopes.visibleTo(user, params, 's.scope');
    const page = await paginate<ScheduleRow>(
      this.dataSource,
      query,
      {
        rows: `SELECT ${COLUMNS} FROM report_schedules s WHERE ${where}`,
        orderBy: 's.created_at DESC, s.id',
      },
      params,
    );
    return { ...page, items: page.items.map((row) => this.withNextRun(row)) };
  }

  async get(user: Principal, id: string): Promise<ReportScheduleResponse> {
    const params: unknown[] = [id];
    const [row] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM report_schedules s WHERE s.id = $1 AND ${this.scopes.visibleTo(user, params, 's.scope')}`,
      params,
    );
    if (!row) throw notFound(`Report schedule ${id}`);
    return this.withNextRun(row);
  }

  /** Stops the schedule; the reports it made stay. */
  async remove(actor: Actor, id: string): Promise<void> {
    const before = await this.get(actor.user, id);
    await this.dataSource.transaction(async (manager) => {
      await manager.query('DELETE FROM report_schedules WHERE id = $1', [id]);
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

  /** Gives the schedule to another user who covers its scope; a paused one runs again. */
  async reassign(actor: Actor, id: string, userId: string): Promise<ReportScheduleResponse> {
    const schedule = await this.dataSource.transaction(async (manager) => {
      const current = await this.lockWithOwnerReason(manager, id);
      const [owner]: { reason: PauseReason | null }[] = await manager.query(
        `SELECT ${OWNER_REASON} AS reason FROM report_schedules s, users u WHERE s.id = $1 AND u.id = $2`,
        [id, userId],
      );
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
    const reason = uncoveredReasonSql(
      { id: '$1::uuid', role: '$2::text', regionCode: '$3::text', disabled: '$4::boolean' },
      's.scope',
    );
    const uncovered: { id: string; reason: PauseReason }[] = await manager.query(
      `SELECT s.id, ${reason} AS reason FROM report_schedules s
       WHERE s.created_by = $1 AND NOT s.paused AND ${reason} IS NOT NULL
       ORDER BY s.id FOR UPDATE`,
      [user.id, user.role, user.regionCode, user.disabled],
    );
    for (const schedule of uncovered) {
      await this.pause(manager, schedule.id, schedule.reason, actorId, requestId);
    }
  }

  /** Makes Redis's job schedulers match the running schedules. */
  async syncSchedulers(): Promise<void> {
    const schedules: ScheduleRow[] = await this.dataSource.query(
      'SELECT id, cron, timezone, paused FROM report_schedules WHERE NOT paused',
    );
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
      const [schedule]: {
        paused: boolean;
        ownerReason: PauseReason | null;
        recipients: string[];
      }[] = await manager.query(
        `SELECT s.paused, ${OWNER_REASON} AS "ownerReason", s.recipients
         FROM report_schedules s LEFT JOIN users u ON u.id = s.created_by
         WHERE s.id = $1 FOR UPDATE OF s`,
        [job.scheduleId],
      );
      if (!schedule || schedule.paused) return { stop: true };
      if (schedule.ownerReason) {
        await this.pause(manager, job.scheduleId, schedule.ownerReason, null, null);
        return { stop: true };
      }
      const refused = await this.refusedRecipients(manager, schedule.recipients);
      const recipients = schedule.recipients.filter((address) => !refused.includes(address));
      if (recipients.length === 0) {
        await this.pause(manager, job.scheduleId, 'no_recipients', null, null);
        return { stop: true };
      }
      const [report]: { id: string }[] = await manager.query(
        `INSERT INTO reports (requested_by, scope, scope_key, formats, recipients, schedule_id, scheduled_for)
         SELECT created_by, scope, scope_key, formats, $3, id, $2 FROM report_schedules WHERE id = $1
         ON CONFLICT (schedule_id, scheduled_for) WHERE schedule_id IS NOT NULL DO NOTHING
         RETURNING id`,
        [job.scheduleId, firedAt, recipients],
      );
      return { stop: false, reportId: report?.id };
    });
    if (outcome.stop) await this.unregister(job.scheduleId);
    if (outcome.reportId) {
      await this.queue.add(
        ReportJob.Compile,
        { reportId: outcome.reportId },
        { jobId: outcome.reportId },
      );
    }
  }

  /**
   * The addresses that may not receive reports: neither an enabled registered user (whatever
   * the letter case) nor in a domain of REPORT_RECIPIENT_DOMAINS.
   */
  private async refusedRecipients(manager: EntityManager, recipients: string[]): Promise<string[]> {
    const rows: { address: string }[] = await manager.query(
      `SELECT r.address FROM unnest($1::text[]) WITH ORDINALITY AS r(address, n)
       WHERE NOT EXISTS (SELECT 1 FROM users u WHERE lower(u.email) = lower(r.address) AND NOT u.disabled)
         AND NOT coalesce(lower(substring(r.address FROM '@([^@]*)$')) = ANY($2::text[]), false)
       ORDER BY r.n`,
      [recipients, this.config.reportRecipientDomains],
    );
    return rows.map((row) => row.address);
  }

  /** 409 when the user owns MAX_SCHEDULES_PER_USER schedules; holds them to that until commit. */
  private async assertRoomFor(manager: EntityManager, userId: string): Promise<void> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext('report_schedules:' || $1))`, [
      userId,
    ]);
    const [{ owned }] = await manager.query(
      'SELECT count(*)::int AS owned FROM report_schedules WHERE created_by = $1',
      [userId],
    );
    if (owned >= MAX_SCHEDULES_PER_USER) {
      throw new DomainError(ReportErrors.schedule_limit_reached, { max: MAX_SCHEDULES_PER_USER });
    }
  }

  private async lockWithOwnerReason(manager: EntityManager, id: string) {
    const [schedule]: { paused: boolean; createdBy: string; ownerReason: PauseReason | null }[] =
      await manager.query(
        `SELECT s.paused, s.created_by AS "createdBy", ${OWNER_REASON} AS "ownerReason"
         FROM report_schedules s LEFT JOIN users u ON u.id = s.created_by
         WHERE s.id = $1 FOR UPDATE OF s`,
        [id],
      );
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
    const [after] = await manager.query(
      `WITH s AS (
         UPDATE report_schedules SET paused = true, paused_reason = $2, paused_at = $3
         WHERE id = $1 RETURNING *
       )
       SELECT ${COLUMNS} FROM s`,
      [id, reason, this.clock.now()],
    );
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
    action: string,
    ownerId: string,
  ): Promise<ScheduleRow> {
    const [before] = await manager.query(
      `SELECT ${COLUMNS} FROM report_schedules s WHERE s.id = $1`,
      [id],
    );
    const [after] = await manager.query(
      `WITH s AS (
         UPDATE report_schedules SET created_by = $2, paused = false, paused_reason = NULL, paused_at = NULL
         WHERE id = $1 RETURNING *
       )
       SELECT ${COLUMNS} FROM s`,
      [id, ownerId],
    );
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
