import { createHash } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { canonicalJson } from '../common/canonical-json.js';
import { Clock } from '../common/clock.js';
import { AppConfig } from '../config/app-config.js';
import { EventNotifier } from '../events/event-notifier.service.js';
import { Links } from '../messages/links.js';
import { Outbox } from '../notifications/outbox.service.js';
import type { ReportFormat } from './dto/report.dto.js';
import { type ProgrammeRow, ReportDataQuery, type ReportScope } from './report-data.query.js';
import { reportEmails } from './report-email.js';
import { MIN_ASSESSMENTS_FOR_INDICATOR_DETAIL, uncoveredReasonSql } from './report-scope.js';
import { renderCsv } from './renderers/csv.js';
import { renderPdf } from './renderers/pdf.js';
import {
  type ReportSnapshot,
  scopeLabel,
  withIndicatorDetailWithheld,
} from './renderers/snapshot.js';
import { renderXlsx } from './renderers/xlsx.js';

interface Change {
  programmeId: string;
  countryCode: string;
  kind: 'phase' | 'readiness_score' | 'newly_overdue';
  from: string | number | null;
  to: string | number | null;
}

/** What changed for each programme since the previous report of the same scope. */
function changesSince(previous: ProgrammeRow[], current: ProgrammeRow[]): Change[] {
  const before = new Map(previous.map((row) => [row.programmeId, row]));
  return current.flatMap((row) => {
    const old = before.get(row.programmeId);
    if (!old) return [];
    const base = { programmeId: row.programmeId, countryCode: row.countryCode };
    const changes: Change[] = [];
    if (old.phase !== row.phase)
      changes.push({ ...base, kind: 'phase', from: old.phase, to: row.phase });
    if (old.readinessScore !== row.readinessScore) {
      changes.push({
        ...base,
        kind: 'readiness_score',
        from: old.readinessScore,
        to: row.readinessScore,
      });
    }
    if (old.overdueMilestones === 0 && row.overdueMilestones > 0) {
      changes.push({ ...base, kind: 'newly_overdue', from: 0, to: row.overdueMilestones });
    }
    return changes;
  });
}

function render(format: ReportFormat, snapshot: ReportSnapshot): Buffer | Promise<Buffer> {
  switch (format) {
    case 'json':
      return Buffer.from(canonicalJson(snapshot), 'utf8');
    case 'csv':
      return renderCsv(snapshot);
    case 'xlsx':
      return renderXlsx(snapshot);
    case 'pdf':
      return renderPdf(snapshot);
  }
}

const CONTENT_TYPES: Record<ReportFormat, string> = {
  json: 'application/json; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
};

/**
 * Compiles a report: reads the scope with SQL aggregates, builds the canonical JSON snapshot
 * (hashed with SHA-256), renders the asked formats from it and stores everything with the
 * report, with the e-mails to its recipients in the same transaction. Progress moves as it goes.
 * Errors reach the caller (ReportsProcessor), which retries transient ones and marks the report
 * failed, with a readable error, when none is left.
 */
@Injectable()
export class ReportCompiler {
  private readonly logger = new Logger(ReportCompiler.name);
  private readonly links: Links;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly data: ReportDataQuery,
    private readonly clock: Clock,
    private readonly outbox: Outbox,
    private readonly events: EventNotifier,
    config: AppConfig,
  ) {
    this.links = new Links(config);
  }

  async compile(reportId: string): Promise<void> {
    const [report]: {
      scope: ReportScope;
      scopeKey: string;
      formats: ReportFormat[];
      recipients: string[];
      requestedBy: string | null;
      scheduled: boolean;
    }[] = await this.dataSource.query(
      `WITH started AS (
           UPDATE reports SET status = 'running', progress = 5, started_at = $2
           WHERE id = $1 AND status IN ('queued', 'running')
           RETURNING scope, scope_key, formats, recipients, requested_by, schedule_id
         )
         SELECT scope, scope_key AS "scopeKey", formats, recipients, requested_by AS "requestedBy",
                schedule_id IS NOT NULL AS scheduled
         FROM started`,
      [reportId, this.clock.now()],
    );
    if (!report) return; // completed or failed already: a repeated job does nothing
    try {
      const asOf = this.clock.now();
      const scope = report.scope;
      const programmes = await this.data.programmes(scope, asOf);
      await this.progress(reportId, 40);
      const aggregates = await this.data.aggregates(scope, asOf);
      const weakestIndicators = await this.data.weakestIndicators(scope);
      const indicatorAssessments = await this.data.indicatorAssessments(scope);
      await this.progress(reportId, 70);
      const [previous] = await this.dataSource.query(
        `SELECT id, snapshot -> 'programmes' AS programmes FROM reports
         WHERE scope_key = $1 AND status = 'completed' AND id <> $2 ORDER BY completed_at DESC LIMIT 1`,
        [report.scopeKey, reportId],
      );
      const templates = await this.dataSource.query(
        `SELECT DISTINCT a.template_key AS key, a.template_version AS version FROM assessments a
         WHERE a.status = 'validated' AND a.programme_id = ANY($1) ORDER BY 1, 2`,
        [programmes.map((row) => row.programmeId)],
      );
      const full: ReportSnapshot = {
        asOf: asOf.toISOString(),
        scope,
        requestedBy: report.requestedBy,
        templateVersions: templates,
        programmes,
        regions: aggregates.filter((row) => row.regionCode !== null),
        overall: aggregates.find((row) => row.regionCode === null) ?? null,
        weakestIndicators,
        indicatorDetailWithheld: false,
        changes: previous
          ? { since: previous.id, items: changesSince(previous.programmes, programmes) }
          : { since: null, items: [] },
      };
      // Indicator levels of a few assessments tell one country's answers, which observers do
      // not see; e-mails carry the stored files to every recipient, so one recipient who may
      // not see them makes the withheld copy the report's own.
      const withheld =
        weakestIndicators.length > 0 && indicatorAssessments < MIN_ASSESSMENTS_FOR_INDICATOR_DETAIL
          ? withIndicatorDetailWithheld(full)
          : null;
      const snapshot =
        withheld && (await this.anyRecipientWithoutDetail(report.recipients, scope))
          ? withheld
          : full;
      const observerCopy = snapshot === withheld ? null : withheld;
      const json = canonicalJson(snapshot);
      const files = new Map<ReportFormat, Buffer>();
      const observerFiles = new Map<ReportFormat, Buffer>();
      for (const format of report.formats) {
        files.set(format, await render(format, snapshot));
        if (observerCopy) observerFiles.set(format, await render(format, observerCopy));
      }
      await this.progress(reportId, 90);
      await this.dataSource.transaction(async (manager) => {
        for (const format of report.formats) {
          await manager.query(
            `INSERT INTO report_files (report_id, format, content, content_type, file_name, observer_content)
             VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (report_id, format) DO UPDATE
             SET content = EXCLUDED.content, observer_content = EXCLUDED.observer_content`,
            [
              reportId,
              format,
              files.get(format),
              CONTENT_TYPES[format],
              `cirt-report-${asOf.toISOString().slice(0, 10)}-${reportId.slice(0, 8)}.${format}`,
              observerFiles.get(format) ?? null,
            ],
          );
        }
        await manager.query(
          `UPDATE reports SET status = 'completed', progress = 100, as_of = $2, snapshot = $3::jsonb,
                  content_hash = $4, summary = $5, completed_at = $6
           WHERE id = $1`,
          [
            reportId,
            asOf,
            json,
            createHash('sha256').update(json).digest('hex'),
            {
              programmes: programmes.length,
              countries: snapshot.overall?.countries ?? 0,
              meanReadiness: snapshot.overall?.meanReadiness ?? null,
            },
            this.clock.now(),
          ],
        );
        await this.outbox.add(
          manager,
          reportEmails(
            reportId,
            snapshot,
            report.formats,
            report.recipients,
            this.links,
            this.clock.now(),
          ),
        );
        // A scheduled report reaches its recipients above; one asked for by hand, the asker.
        if (!report.scheduled && report.requestedBy) {
          await this.events.notify(manager, {
            kind: 'report_completed',
            subject: reportId,
            actor: null,
            concernedUserId: report.requestedBy,
            link: this.links.reportsPage(),
            params: { scope: scopeLabel(scope) },
          });
        }
      });
    } catch (error) {
      // ReportsProcessor decides: another attempt for a transient error, else markFailed.
      this.logger.warn({ err: error, reportId }, 'Report attempt failed');
      throw error;
    }
  }

  /**
   * Ends a report that will not be compiled: the processor calls it on a permanent error, or
   * on a transient one when no attempt is left (until then the report stays running).
   */
  async markFailed(reportId: string, error: unknown): Promise<void> {
    this.logger.error({ err: error, reportId }, 'Report failed');
    await this.dataSource.query(
      `UPDATE reports SET status = 'failed', error = $2 WHERE id = $1 AND status <> 'completed'`,
      [reportId, `The report could not be compiled: ${(error as Error).message}`.slice(0, 1000)],
    );
  }

  /** Whether a recipient is not a user who may ask for reports of this scope. */
  private async anyRecipientWithoutDetail(
    recipients: string[],
    scope: ReportScope,
  ): Promise<boolean> {
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

  private async progress(reportId: string, value: number): Promise<void> {
    await this.dataSource.query('UPDATE reports SET progress = $2 WHERE id = $1', [
      reportId,
      value,
    ]);
  }
}
