import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { type Page, type PageQuery, paginate } from '../common/pagination.js';
import type { Locale } from '../messages/locales.js';
import type { PortfolioKpis } from '../portfolio/dto/portfolio-kpis.dto.js';
import type { ReportFormat, ReportResponse, ReportScheduleResponse } from './dto/report.dto.js';
import type { ProgrammeRow, ReportScope } from './report-data.query.js';
import {
  type OwnerReason,
  type ReportVisibility,
  uncoveredReasonSql,
  visibleScopeSql,
} from './report-scope.sql.js';

const REPORT_COLUMNS = `r.id, r.status, r.progress, r.as_of AS "asOf", r.scope, r.formats, r.summary, r.error,
  r.content_hash AS "contentHash", r.requested_by AS "requestedBy", r.created_at AS "createdAt",
  r.completed_at AS "completedAt", r.schedule_id AS "scheduleId", r.locale`;

const SCHEDULE_COLUMNS = `s.id, s.cron, s.timezone, s.scope, s.formats, s.recipients, s.created_by AS "createdBy",
  s.created_at AS "createdAt", s.paused, s.paused_reason AS "pausedReason", s.paused_at AS "pausedAt",
  s.locale`;

/** The schedule owner's columns, joined as `u` beside the schedule `s`. */
const OWNER_REASON = uncoveredReasonSql(
  { id: 'u.id', role: 'u.role', regionCode: 'u.region_code', disabled: 'u.disabled' },
  's.scope',
);

/** Why a schedule stopped: its owner's state (see uncoveredReasonSql), or no recipient left. */
export type PauseReason = OwnerReason | 'no_recipients';

/** A schedule as its columns (SCHEDULE_COLUMNS) read it. */
export type ScheduleRow = Omit<ReportScheduleResponse, 'nextRunAt'>;

/** What a compile needs of its report, read as it starts. */
export interface CompileStart {
  scope: ReportScope;
  /** The language of the files and e-mails. */
  locale: Locale;
  /** The language of the user who asked, who hears that it is ready; null if none. */
  requesterLocale: Locale | null;
  scopeKey: string;
  formats: ReportFormat[];
  recipients: string[];
  requestedBy: string | null;
  scheduled: boolean;
}

export interface ReportFile {
  content: Buffer;
  contentType: string;
  fileName: string;
}

/**
 * The reports module's SQL, and the only writer of its tables: `reports`, `report_files` and
 * `report_schedules`. Methods that take part in a caller's transaction take its manager last.
 */
@Injectable()
export class ReportsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  // Reports

  /** A queued report asked for by hand; answers its id. */
  async insertReport(
    report: {
      requestedBy: string;
      scope: ReportScope;
      scopeKey: string;
      formats: ReportFormat[];
      locale: Locale;
    },
    manager: EntityManager,
  ): Promise<string> {
    const [row] = await manager.query(
      `INSERT INTO reports (requested_by, scope, scope_key, formats, locale) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [report.requestedBy, report.scope, report.scopeKey, report.formats, report.locale],
    );
    return row.id as string;
  }

  async pageReports(visibility: ReportVisibility, query: PageQuery): Promise<Page<ReportResponse>> {
    const params: unknown[] = [];
    const where = visibleScopeSql(visibility, params, 'r.scope');
    return paginate<ReportResponse>(
      this.dataSource,
      query,
      {
        rows: `SELECT ${REPORT_COLUMNS} FROM reports r WHERE ${where}`,
        orderBy: 'r.created_at DESC, r.id',
      },
      params,
    );
  }

  async findReport(id: string, visibility: ReportVisibility): Promise<ReportResponse | undefined> {
    const params: unknown[] = [id];
    const [row] = await this.dataSource.query(
      `SELECT ${REPORT_COLUMNS} FROM reports r WHERE r.id = $1 AND ${visibleScopeSql(visibility, params, 'r.scope')}`,
      params,
    );
    return row;
  }

  /** A report's file; unless `whole`, the observers' copy where there is one. */
  async findFile(
    reportId: string,
    format: ReportFormat,
    whole: boolean,
  ): Promise<ReportFile | undefined> {
    const [file] = await this.dataSource.query(
      `SELECT CASE WHEN $3 THEN content ELSE coalesce(observer_content, content) END AS content,
              content_type AS "contentType", file_name AS "fileName"
       FROM report_files WHERE report_id = $1 AND format = $2`,
      [reportId, format, whole],
    );
    return file;
  }

  /** Up to `limit` reports created before `before`, oldest first, locked (skipping locked ones). */
  async lockReportsCreatedBefore(
    before: Date,
    limit: number,
    manager: EntityManager,
  ): Promise<{ id: string; scope: object; createdAt: Date }[]> {
    return manager.query(
      `SELECT id, scope, created_at AS "createdAt" FROM reports WHERE created_at < $1
       ORDER BY created_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [before, limit],
    );
  }

  async deleteReportsWithFiles(ids: string[], manager: EntityManager): Promise<void> {
    await manager.query('DELETE FROM report_files WHERE report_id = ANY($1)', [ids]);
    await manager.query('DELETE FROM reports WHERE id = ANY($1)', [ids]);
  }

  // The reports outbox: a queued report's row waits for the relay until `queued_at` says its
  // compile job was added (jobId = report id).

  /** Notes that the report's compile job is in the queue, unless the relay did so already. */
  async stampQueued(reportId: string, at: Date): Promise<void> {
    await this.dataSource.query(
      'UPDATE reports SET queued_at = $2 WHERE id = $1 AND queued_at IS NULL',
      [reportId, at],
    );
  }

  /**
   * Stamps up to `limit` queued reports that no job was added for yet, oldest first, skipping
   * those another relay holds; answers their ids. The caller adds their jobs before it commits.
   */
  async stampUnqueuedReports(at: Date, limit: number, manager: EntityManager): Promise<string[]> {
    const rows: { id: string }[] = await manager.query(
      `WITH picked AS (
         SELECT id FROM reports WHERE status = 'queued' AND queued_at IS NULL
         ORDER BY created_at LIMIT $2 FOR UPDATE SKIP LOCKED
       ), stamped AS (
         UPDATE reports r SET queued_at = $1 FROM picked WHERE r.id = picked.id RETURNING r.id
       )
       SELECT id FROM stamped`,
      [at, limit],
    );
    return rows.map((row) => row.id);
  }

  /** Queued or running reports whose job was added more than `seconds` before `now`. */
  async reportsInQueueSince(now: Date, seconds: number, limit: number): Promise<string[]> {
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT id FROM reports
       WHERE status IN ('queued', 'running') AND queued_at < $1::timestamptz - make_interval(secs => $2)
       ORDER BY queued_at LIMIT $3`,
      [now, seconds, limit],
    );
    return rows.map((row) => row.id);
  }

  /**
   * Puts these reports back to queued, unstamped, as they were before their first compile, if
   * they are still queued or running on a job added more than `seconds` before `now` (a relay
   * since then stamped them anew). Answers the ids put back.
   */
  async requeueReports(ids: string[], now: Date, seconds: number): Promise<string[]> {
    const rows: { id: string }[] = await this.dataSource.query(
      `WITH requeued AS (
         UPDATE reports SET status = 'queued', progress = 0, started_at = NULL, queued_at = NULL
         WHERE id = ANY($1) AND status IN ('queued', 'running')
           AND queued_at < $2::timestamptz - make_interval(secs => $3)
         RETURNING id
       )
       SELECT id FROM requeued`,
      [ids, now, seconds],
    );
    return rows.map((row) => row.id);
  }

  // Compiling

  /**
   * Marks a queued or running report running and answers what its compile needs; undefined
   * when it is completed or failed already. A report whose stamp was not written after its job
   * was added (the database away just then) gets it now, so that the reconciler looks after it.
   */
  async startCompiling(reportId: string, at: Date): Promise<CompileStart | undefined> {
    const [report]: CompileStart[] = await this.dataSource.query(
      `WITH started AS (
           UPDATE reports SET status = 'running', progress = 5, started_at = $2,
                              queued_at = coalesce(queued_at, $2)
           WHERE id = $1 AND status IN ('queued', 'running')
           RETURNING scope, scope_key, formats, recipients, requested_by, schedule_id, locale
         )
         SELECT scope, scope_key AS "scopeKey", formats, recipients, requested_by AS "requestedBy",
                schedule_id IS NOT NULL AS scheduled, started.locale,
                (SELECT u.locale FROM users u WHERE u.id = started.requested_by) AS "requesterLocale"
         FROM started`,
      [reportId, at],
    );
    return report;
  }

  async setProgress(reportId: string, value: number): Promise<void> {
    await this.dataSource.query('UPDATE reports SET progress = $2 WHERE id = $1', [
      reportId,
      value,
    ]);
  }

  /**
   * The latest completed report of this scope other than this one, with its programme rows and
   * its lifecycle KPIs (null when it was compiled before reports held them).
   */
  async previousCompletedReport(
    scopeKey: string,
    reportId: string,
  ): Promise<{ id: string; programmes: ProgrammeRow[]; kpis: PortfolioKpis | null } | undefined> {
    const [previous] = await this.dataSource.query(
      `SELECT id, snapshot -> 'programmes' AS programmes, snapshot -> 'kpis' AS kpis FROM reports
         WHERE scope_key = $1 AND status = 'completed' AND id <> $2 ORDER BY completed_at DESC LIMIT 1`,
      [scopeKey, reportId],
    );
    return previous;
  }

  /** The assessment templates, by key and version, of these programmes' validated assessments. */
  async templateVersions(programmeIds: string[]): Promise<{ key: string; version: string }[]> {
    return this.dataSource.query(
      `SELECT DISTINCT a.template_key AS key, a.template_version AS version FROM assessments a
         WHERE a.status = 'validated' AND a.programme_id = ANY($1) ORDER BY 1, 2`,
      [programmeIds],
    );
  }

  /** Whether a recipient is not an enabled user who may ask for reports of this scope. */
  async anyRecipientNotCovering(recipients: string[], scope: ReportScope): Promise<boolean> {
    const covered = uncoveredReasonSql(
      { id: 'u.id', role: 'u.role', regionCode: 'u.region_code', disabled: 'u.disabled' },
      '$2::jsonb',
    );
    const [{ some }] = await this.dataSource.query(
      `SELECT EXISTS (
         SELECT 1 FROM unnest($1::text[]) AS r(address)
         WHERE NOT EXISTS (
           SELECT 1 FROM users u WHERE lower(u.email) = lower(r.address) AND ${covered} IS NULL)
       ) AS some`,
      [recipients, scope],
    );
    return some;
  }

  /** Stores (or replaces) one format of a report. */
  async saveFile(
    file: {
      reportId: string;
      format: ReportFormat;
      content: Buffer | undefined;
      contentType: string;
      fileName: string;
      observerContent: Buffer | null;
    },
    manager: EntityManager,
  ): Promise<void> {
    await manager.query(
      `INSERT INTO report_files (report_id, format, content, content_type, file_name, observer_content)
             VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (report_id, format) DO UPDATE
             SET content = EXCLUDED.content, observer_content = EXCLUDED.observer_content`,
      [
        file.reportId,
        file.format,
        file.content,
        file.contentType,
        file.fileName,
        file.observerContent,
      ],
    );
  }

  async markCompleted(
    reportId: string,
    result: {
      asOf: Date;
      snapshotJson: string;
      contentHash: string;
      summary: object;
      completedAt: Date;
    },
    manager: EntityManager,
  ): Promise<void> {
    await manager.query(
      `UPDATE reports SET status = 'completed', progress = 100, as_of = $2, snapshot = $3::jsonb,
                  content_hash = $4, summary = $5, completed_at = $6
           WHERE id = $1`,
      [
        reportId,
        result.asOf,
        result.snapshotJson,
        result.contentHash,
        result.summary,
        result.completedAt,
      ],
    );
  }

  /** Marks the report failed with this error, unless it completed meanwhile. */
  async markFailed(reportId: string, error: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE reports SET status = 'failed', error = $2 WHERE id = $1 AND status <> 'completed'`,
      [reportId, error],
    );
  }

  // Schedules

  async insertSchedule(
    schedule: {
      createdBy: string;
      cron: string;
      timezone: string;
      scope: ReportScope;
      scopeKey: string;
      formats: ReportFormat[];
      recipients: string[];
      locale: Locale;
    },
    manager: EntityManager,
  ): Promise<ScheduleRow> {
    const [row] = await manager.query(
      `WITH s AS (
           INSERT INTO report_schedules (created_by, cron, timezone, scope, scope_key, formats, recipients, locale)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *
         )
         SELECT ${SCHEDULE_COLUMNS} FROM s`,
      [
        schedule.createdBy,
        schedule.cron,
        schedule.timezone,
        schedule.scope,
        schedule.scopeKey,
        schedule.formats,
        schedule.recipients,
        schedule.locale,
      ],
    );
    return row;
  }

  async pageSchedules(visibility: ReportVisibility, query: PageQuery): Promise<Page<ScheduleRow>> {
    const params: unknown[] = [];
    const where = visibleScopeSql(visibility, params, 's.scope');
    return paginate<ScheduleRow>(
      this.dataSource,
      query,
      {
        rows: `SELECT ${SCHEDULE_COLUMNS} FROM report_schedules s WHERE ${where}`,
        orderBy: 's.created_at DESC, s.id',
      },
      params,
    );
  }

  async findSchedule(id: string, visibility: ReportVisibility): Promise<ScheduleRow | undefined> {
    const params: unknown[] = [id];
    const [row] = await this.dataSource.query(
      `SELECT ${SCHEDULE_COLUMNS} FROM report_schedules s WHERE s.id = $1 AND ${visibleScopeSql(visibility, params, 's.scope')}`,
      params,
    );
    return row;
  }

  /** A schedule as it is, in the caller's transaction, whoever reads it. */
  async scheduleById(id: string, manager: EntityManager): Promise<ScheduleRow | undefined> {
    const [row] = await manager.query(
      `SELECT ${SCHEDULE_COLUMNS} FROM report_schedules s WHERE s.id = $1`,
      [id],
    );
    return row;
  }

  /** The newest report of each of these schedules that the user may read. */
  async lastReportsOfSchedules(
    scheduleIds: string[],
    visibility: ReportVisibility,
  ): Promise<ReportResponse[]> {
    const params: unknown[] = [scheduleIds];
    return this.dataSource.query(
      `SELECT DISTINCT ON (r.schedule_id) ${REPORT_COLUMNS} FROM reports r
       WHERE r.schedule_id = ANY($1::uuid[]) AND ${visibleScopeSql(visibility, params, 'r.scope')}
       ORDER BY r.schedule_id, r.created_at DESC, r.id`,
      params,
    );
  }

  async deleteSchedule(id: string, manager: EntityManager): Promise<void> {
    await manager.query('DELETE FROM report_schedules WHERE id = $1', [id]);
  }

  /** The running schedules, as their job schedulers need them. */
  async runningSchedules(): Promise<ScheduleRow[]> {
    return this.dataSource.query(
      'SELECT id, cron, timezone, paused FROM report_schedules WHERE NOT paused',
    );
  }

  /**
   * Takes the lock on a user's schedules for the rest of the transaction, so that the count
   * holds until commit, and answers how many they own.
   */
  async lockAndCountSchedulesOf(userId: string, manager: EntityManager): Promise<number> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext('report_schedules:' || $1))`, [
      userId,
    ]);
    const [{ owned }] = await manager.query(
      'SELECT count(*)::int AS owned FROM report_schedules WHERE created_by = $1',
      [userId],
    );
    return owned;
  }

  /** Locks the schedule and says whether its owner still covers it (ownerReason null). */
  async lockScheduleWithOwnerReason(
    id: string,
    manager: EntityManager,
  ): Promise<{ paused: boolean; createdBy: string; ownerReason: OwnerReason | null } | undefined> {
    const [schedule] = await manager.query(
      `SELECT s.paused, s.created_by AS "createdBy", ${OWNER_REASON} AS "ownerReason"
         FROM report_schedules s LEFT JOIN users u ON u.id = s.created_by
         WHERE s.id = $1 FOR UPDATE OF s`,
      [id],
    );
    return schedule;
  }

  /**
   * Whether this user would cover the schedule (reason null), or why not; undefined when there
   * is no such user (or schedule).
   */
  async ownerReasonFor(
    scheduleId: string,
    userId: string,
    manager: EntityManager,
  ): Promise<{ reason: OwnerReason | null } | undefined> {
    const [owner] = await manager.query(
      `SELECT ${OWNER_REASON} AS reason FROM report_schedules s, users u WHERE s.id = $1 AND u.id = $2`,
      [scheduleId, userId],
    );
    return owner;
  }

  /**
   * Locks the running schedules of this user that the user, as given (role, region, disabled),
   * no longer covers, with the reason of each.
   */
  async lockSchedulesUncoveredBy(
    user: { id: string; role: string; regionCode: string | null; disabled: boolean },
    manager: EntityManager,
  ): Promise<{ id: string; reason: OwnerReason }[]> {
    const reason = uncoveredReasonSql(
      { id: '$1::uuid', role: '$2::text', regionCode: '$3::text', disabled: '$4::boolean' },
      's.scope',
    );
    return manager.query(
      `SELECT s.id, ${reason} AS reason FROM report_schedules s
       WHERE s.created_by = $1 AND NOT s.paused AND ${reason} IS NOT NULL
       ORDER BY s.id FOR UPDATE`,
      [user.id, user.role, user.regionCode, user.disabled],
    );
  }

  /** Locks the schedule for one of its runs: whether it runs, and for whom. */
  async lockScheduleForRun(
    scheduleId: string,
    manager: EntityManager,
  ): Promise<
    { paused: boolean; ownerReason: OwnerReason | null; recipients: string[] } | undefined
  > {
    const [schedule] = await manager.query(
      `SELECT s.paused, ${OWNER_REASON} AS "ownerReason", s.recipients
         FROM report_schedules s LEFT JOIN users u ON u.id = s.created_by
         WHERE s.id = $1 FOR UPDATE OF s`,
      [scheduleId],
    );
    return schedule;
  }

  /**
   * The queued report of a schedule's run at `firedAt`; undefined when that run has its report
   * already.
   */
  async insertScheduledReport(
    scheduleId: string,
    firedAt: Date,
    recipients: string[],
    manager: EntityManager,
  ): Promise<string | undefined> {
    const [report]: { id: string }[] = await manager.query(
      `INSERT INTO reports (requested_by, scope, scope_key, formats, recipients, schedule_id, scheduled_for, locale)
         SELECT created_by, scope, scope_key, formats, $3, id, $2, locale FROM report_schedules WHERE id = $1
         ON CONFLICT (schedule_id, scheduled_for) WHERE schedule_id IS NOT NULL DO NOTHING
         RETURNING id`,
      [scheduleId, firedAt, recipients],
    );
    return report?.id;
  }

  /** Pauses the schedule: why it paused itself (PauseReason), or what whoever paused it said. */
  async pauseSchedule(
    id: string,
    reason: PauseReason | string | null,
    at: Date,
    manager: EntityManager,
  ): Promise<ScheduleRow> {
    const [after] = await manager.query(
      `WITH s AS (
         UPDATE report_schedules SET paused = true, paused_reason = $2, paused_at = $3
         WHERE id = $1 RETURNING *
       )
       SELECT ${SCHEDULE_COLUMNS} FROM s`,
      [id, reason, at],
    );
    return after;
  }

  /** Runs the schedule again, for this owner. */
  async unpauseSchedule(id: string, ownerId: string, manager: EntityManager): Promise<ScheduleRow> {
    const [after] = await manager.query(
      `WITH s AS (
         UPDATE report_schedules SET created_by = $2, paused = false, paused_reason = NULL, paused_at = NULL
         WHERE id = $1 RETURNING *
       )
       SELECT ${SCHEDULE_COLUMNS} FROM s`,
      [id, ownerId],
    );
    return after;
  }

  /**
   * The addresses that may not receive reports: neither an enabled registered user (whatever
   * the letter case) nor in one of `allowedDomains`. In the given order.
   */
  async refusedRecipients(
    recipients: string[],
    allowedDomains: string[],
    manager: EntityManager = this.dataSource.manager,
  ): Promise<string[]> {
    const rows: { address: string }[] = await manager.query(
      `SELECT r.address FROM unnest($1::text[]) WITH ORDINALITY AS r(address, n)
       WHERE NOT EXISTS (SELECT 1 FROM users u WHERE lower(u.email) = lower(r.address) AND NOT u.disabled)
         AND NOT coalesce(lower(substring(r.address FROM '@([^@]*)$')) = ANY($2::text[]), false)
       ORDER BY r.n`,
      [recipients, allowedDomains],
    );
    return rows.map((row) => row.address);
  }

  // Scopes

  /** The tracked countries among these codes, with their regions. */
  async countriesByCode(codes: string[]): Promise<{ code: string; regionCode: string }[]> {
    return this.dataSource.query(
      `SELECT code, region_code AS "regionCode" FROM countries WHERE code = ANY($1)`,
      [codes],
    );
  }
}
