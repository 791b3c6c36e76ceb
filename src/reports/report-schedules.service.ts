import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Queue } from 'bullmq';
import { CronExpressionParser } from 'cron-parser';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { Actor, Principal } from '../auth/roles.js';
import { Clock } from '../common/clock.js';
import { NotFoundError } from '../common/domain-error.js';
import { type Page, type PageQuery, pageFromCountedRows } from '../common/pagination.js';
import { QueueName, ReportJob, type ScheduledReportJobData } from '../queues/queue-names.js';
import type { CreateReportScheduleDto } from './dto/report.dto.js';
import { ReportScopes, scopeKey } from './report-scope.js';

const COLUMNS = `s.id, s.cron, s.timezone, s.scope, s.formats, s.recipients, s.created_by AS "createdBy",
  s.created_at AS "createdAt"`;

interface ScheduleRow {
  id: string;
  cron: string;
  timezone: string;
}

/** Job schedulers of report schedules are named after them; other schedulers are left alone. */
const schedulerId = (scheduleId: string) => `report-schedule:${scheduleId}`;

/**
 * Report schedules. PostgreSQL holds them; each has a BullMQ job scheduler that fires its runs
 * across all replicas. The relay tick puts back schedulers Redis lost and drops those of
 * deleted schedules, so a schedule written while Redis was away still runs.
 */
@Injectable()
export class ReportSchedulesService {
  private readonly logger = new Logger(ReportSchedulesService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectQueue(QueueName.Reports) private readonly queue: Queue,
    private readonly audit: AuditService,
    private readonly scopes: ReportScopes,
    private readonly clock: Clock,
  ) {}

  async create(actor: Actor, dto: CreateReportScheduleDto): Promise<object> {
    const scope = await this.scopes.authorise(actor.user, dto.scope);
    const schedule = await this.dataSource.transaction(async (manager) => {
      const [row] = await manager.query(
        `WITH s AS (
           INSERT INTO report_schedules (created_by, cron, timezone, scope, scope_key, formats, recipients)
           VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *
         )
         SELECT ${COLUMNS} FROM s`,
        [
          actor.user.id,
          dto.cron.trim(),
          dto.timezone ?? 'UTC',
          scope,
          scopeKey(scope),
          dto.formats,
          dto.recipients,
        ],
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
    await this.register(schedule).catch((error: Error) => {
      this.logger.warn(`Schedule ${schedule.id} waits for the relay tick: ${error.message}`);
    });
    return this.withNextRun(schedule);
  }

  async list(user: Principal, query: PageQuery): Promise<Page<object>> {
    const params: unknown[] = [];
    const where = this.scopes.visibleTo(user, params, 's.scope');
    params.push(query.pageSize, query.offset);
    const rows: { total: number }[] = await this.dataSource.query(
      `SELECT count(*) OVER ()::int AS total, ${COLUMNS} FROM report_schedules s WHERE ${where}
       ORDER BY s.created_at DESC, s.id LIMIT $${params.length - 1} OFFSET $${params.length}`,
      params,
    );
    const page = pageFromCountedRows(rows, query);
    return { ...page, items: page.items.map((row) => this.withNextRun(row as ScheduleRow)) };
  }

  async get(user: Principal, id: string): Promise<object> {
    const params: unknown[] = [id];
    const [row] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM report_schedules s WHERE s.id = $1 AND ${this.scopes.visibleTo(user, params, 's.scope')}`,
      params,
    );
    if (!row) throw new NotFoundError(`Report schedule ${id}`);
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
    await this.queue.removeJobScheduler(schedulerId(id)).catch((error: Error) => {
      this.logger.warn(`Schedule ${id}'s scheduler waits for the relay tick: ${error.message}`);
    });
  }

  /** Makes Redis's job schedulers match the schedules table. */
  async syncSchedulers(): Promise<void> {
    const schedules: ScheduleRow[] = await this.dataSource.query(
      'SELECT id, cron, timezone FROM report_schedules',
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
   * A run fired twice (a retried job) makes one report.
   */
  async run(job: ScheduledReportJobData, firedAt: Date): Promise<void> {
    const [report] = await this.dataSource.query(
      `INSERT INTO reports (requested_by, scope, scope_key, formats, recipients, schedule_id, scheduled_for)
       SELECT created_by, scope, scope_key, formats, recipients, id, $2 FROM report_schedules WHERE id = $1
       ON CONFLICT (schedule_id, scheduled_for) WHERE schedule_id IS NOT NULL DO NOTHING
       RETURNING id`,
      [job.scheduleId, firedAt],
    );
    if (report)
      await this.queue.add(ReportJob.Compile, { reportId: report.id }, { jobId: report.id });
  }

  private async register(schedule: ScheduleRow): Promise<void> {
    await this.queue.upsertJobScheduler(
      schedulerId(schedule.id),
      { pattern: schedule.cron, tz: schedule.timezone },
      { name: ReportJob.Scheduled, data: { scheduleId: schedule.id } },
    );
  }

  private withNextRun(schedule: ScheduleRow): object {
    const next = CronExpressionParser.parse(schedule.cron, {
      tz: schedule.timezone,
      currentDate: this.clock.now(),
    }).next();
    return { ...schedule, nextRunAt: next.toDate().toISOString() };
  }
}
