import { createHash } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { canonicalJson } from '../common/canonical-json.js';
import { Clock } from '../common/clock.js';
import { AppConfig } from '../config/app-config.js';
import { EventNotifier } from '../events/event-notifier.service.js';
import { Links } from '../messages/links.js';
import { OutboxWriter } from '../notifications/outbox-writer.js';
import { LifecycleKpisQuery } from '../portfolio/lifecycle-kpis.query.js';
import type { ReportFormat } from './dto/report.dto.js';
import {
  type ProgrammeRow,
  type ReportDocument,
  type ReportProgramme,
  ReportDataQuery,
} from './report-data.query.js';
import { reportEmails } from './report-email.js';
import { kpiChangesSince } from './report-kpis.js';
import { MIN_ASSESSMENTS_FOR_INDICATOR_DETAIL } from './report-scope.js';
import { ReportTexts } from './report-texts.js';
import { ReportsRepository } from './reports.repository.js';
import { renderCsv } from './renderers/csv.js';
import { renderPdf } from './renderers/pdf.js';
import { type ReportSnapshot, hasDocumentHashes, observerCopy } from './renderers/snapshot.js';
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

/** Each programme with its documents (as the one query for all of them answers them). */
function withDocuments(
  rows: ProgrammeRow[],
  documents: (ReportDocument & { programmeId: string })[],
): ReportProgramme[] {
  const byProgramme = new Map<string, ReportDocument[]>();
  for (const { programmeId, ...document } of documents) {
    const list = byProgramme.get(programmeId) ?? [];
    list.push(document);
    byProgramme.set(programmeId, list);
  }
  return rows.map((row) => ({ ...row, documents: byProgramme.get(row.programmeId) ?? [] }));
}

/** A format of the snapshot: JSON as it is (in codes, whatever the language), the others in words. */
function render(
  format: ReportFormat,
  snapshot: ReportSnapshot,
  texts: ReportTexts,
): Buffer | Promise<Buffer> {
  switch (format) {
    case 'json':
      return Buffer.from(canonicalJson(snapshot), 'utf8');
    case 'csv':
      return renderCsv(snapshot, texts);
    case 'xlsx':
      return renderXlsx(snapshot, texts);
    case 'pdf':
      return renderPdf(snapshot, texts);
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
    private readonly reports: ReportsRepository,
    private readonly data: ReportDataQuery,
    private readonly kpis: LifecycleKpisQuery,
    private readonly clock: Clock,
    private readonly outbox: OutboxWriter,
    private readonly events: EventNotifier,
    config: AppConfig,
  ) {
    this.links = new Links(config);
  }

  async compile(reportId: string): Promise<void> {
    const report = await this.reports.startCompiling(reportId, this.clock.now());
    if (!report) return; // completed or failed already: a repeated job does nothing
    try {
      const asOf = this.clock.now();
      const scope = report.scope;
      const rows = await this.data.programmes(scope, asOf);
      const programmes = withDocuments(
        rows,
        await this.data.documents(rows.map((row) => row.programmeId)),
      );
      await this.progress(reportId, 40);
      const aggregates = await this.data.aggregates(scope, asOf);
      const weakestIndicators = await this.data.weakestIndicators(scope);
      const indicatorAssessments = await this.data.indicatorAssessments(scope);
      // The lifecycle KPIs over the scope's whole history, read once, at the report's as-of time.
      const kpis = await this.kpis.compute(
        this.data.scopeCondition(scope),
        { from: null, to: null },
        asOf,
      );
      await this.progress(reportId, 70);
      const previous = await this.reports.previousCompletedReport(report.scopeKey, reportId);
      const templates = await this.reports.templateVersions(
        programmes.map((row) => row.programmeId),
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
        kpis,
        indicatorDetailWithheld: false,
        documentHashesWithheld: false,
        changes: previous
          ? {
              since: previous.id,
              items: changesSince(previous.programmes, programmes),
              kpis: kpiChangesSince(previous.kpis, kpis),
            }
          : { since: null, items: [], kpis: [] },
      };
      // Indicator levels of a few assessments tell one country's answers, and documents' SHA-256
      // identifies their files, neither of which observers see: they get a copy without them,
      // where the report has them. E-mails carry the stored files to every recipient, so one
      // recipient who may not see them makes the observers' copy the report's own.
      const withholdIndicators =
        weakestIndicators.length > 0 && indicatorAssessments < MIN_ASSESSMENTS_FOR_INDICATOR_DETAIL;
      const restricted =
        withholdIndicators || hasDocumentHashes(full)
          ? observerCopy(full, withholdIndicators)
          : null;
      const snapshot =
        restricted && (await this.reports.anyRecipientNotCovering(report.recipients, scope))
          ? restricted
          : full;
      const observersCopy = snapshot === restricted ? null : restricted;
      const json = canonicalJson(snapshot);
      const countryNames = await this.data.countryNames([
        ...new Set([...programmes.map((row) => row.countryCode), ...(scope.countryCodes ?? [])]),
      ]);
      const texts = new ReportTexts(report.locale, countryNames);
      const files = new Map<ReportFormat, Buffer>();
      const observerFiles = new Map<ReportFormat, Buffer>();
      for (const format of report.formats) {
        files.set(format, await render(format, snapshot, texts));
        if (observersCopy) observerFiles.set(format, await render(format, observersCopy, texts));
      }
      await this.progress(reportId, 90);
      await this.dataSource.transaction(async (manager) => {
        for (const format of report.formats) {
          await this.reports.saveFile(
            {
              reportId,
              format,
              content: files.get(format),
              contentType: CONTENT_TYPES[format],
              fileName: `cirt-report-${asOf.toISOString().slice(0, 10)}-${reportId.slice(0, 8)}.${format}`,
              observerContent: observerFiles.get(format) ?? null,
            },
            manager,
          );
        }
        await this.reports.markCompleted(
          reportId,
          {
            asOf,
            snapshotJson: json,
            contentHash: createHash('sha256').update(json).digest('hex'),
            summary: {
              programmes: programmes.length,
              countries: snapshot.overall?.countries ?? 0,
              meanReadiness: snapshot.overall?.meanReadiness ?? null,
            },
            completedAt: this.clock.now(),
          },
          manager,
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
            texts,
          ),
        );
        // A scheduled report reaches its recipients above; one asked for by hand, the asker, in
        // the language of their notices (which may not be the report's).
        if (!report.scheduled && report.requestedBy) {
          const asker = new ReportTexts(report.requesterLocale ?? report.locale, countryNames);
          await this.events.notify(manager, {
            kind: 'report_completed',
            subject: reportId,
            actor: null,
            concernedUserId: report.requestedBy,
            link: this.links.reportsPage(),
            params: { scope: asker.scope(scope) },
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
    await this.reports.markFailed(
      reportId,
      `The report could not be compiled: ${(error as Error).message}`.slice(0, 1000),
    );
  }

  private async progress(reportId: string, value: number): Promise<void> {
    await this.reports.setProgress(reportId, value);
  }
}
