import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Actor, Principal } from '../auth/roles.js';
import { AuditService } from '../audit/audit.service.js';
import { Clock } from '../common/clock.js';
import { notFound } from '../common/domain-error.js';
import type { Page, PageQuery } from '../common/pagination.js';
import { AppConfig } from '../config/app-config.js';
import { type Locale, resolveLocale } from '../messages/locales.js';
import type {
  CreateReportDto,
  ReportAcceptedResponse,
  ReportFormat,
  ReportResponse,
} from './dto/report.dto.js';
import { ReportDataQuery } from './report-data.query.js';
import { ReportOutbox } from './report-outbox.service.js';
import { ReportScopes, readsWholeReport, scopeKey } from './report-scope.js';
import { ReportTexts } from './report-texts.js';
import { ReportsRepository } from './reports.repository.js';

/** Reports deleted per transaction by the retention job. */
const RETENTION_BATCH = 500;

@Injectable()
export class ReportsService {
  private readonly logger = new Logger(ReportsService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly reports: ReportsRepository,
    private readonly outbox: ReportOutbox,
    private readonly audit: AuditService,
    private readonly scopes: ReportScopes,
    private readonly data: ReportDataQuery,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  /**
   * Stores the queued report, then queues its compile job. The row is the outbox: if Redis is
   * away, the relay tick queues it later, so a request is never lost.
   */
  async request(actor: Actor, dto: CreateReportDto): Promise<ReportAcceptedResponse> {
    const scope = await this.scopes.authorise(actor.user, dto.scope);
    const locale = dto.locale ?? resolveLocale(actor.user.locale);
    const id = await this.dataSource.transaction(async (manager) => {
      const reportId = await this.reports.insertReport(
        {
          requestedBy: actor.user.id,
          scope,
          scopeKey: scopeKey(scope),
          formats: dto.formats,
          locale,
        },
        manager,
      );
      await this.audit.record(manager, {
        actorId: actor.user.id,
        action: 'report.requested',
        entityType: 'report',
        entityId: reportId,
        after: { scope, formats: dto.formats, locale },
        requestId: actor.requestId,
      });
      return reportId;
    });
    await this.outbox.queueCompile(id);
    return { id, status: 'queued' };
  }

  async list(user: Principal, query: PageQuery): Promise<Page<ReportResponse>> {
    return this.reports.pageReports(this.scopes.visibility(user), query);
  }

  /** What reports say in a language (their scopes, say), with these countries named in it. */
  async texts(locale: Locale, countryCodes: string[]): Promise<ReportTexts> {
    return new ReportTexts(locale, await this.data.countryNames([...new Set(countryCodes)]));
  }

  async get(user: Principal, id: string): Promise<ReportResponse> {
    const row = await this.reports.findReport(id, this.scopes.visibility(user));
    if (!row) throw notFound(`Report ${id}`);
    return row;
  }

  async file(user: Principal, id: string, format: ReportFormat) {
    await this.get(user, id);
    // Observers get the copy without indicator levels and documents' SHA-256, where there is one.
    const file = await this.reports.findFile(id, format, readsWholeReport(user));
    if (!file) throw notFound(`The ${format} file of report ${id}`);
    return file;
  }

  /**
   * Deletes the reports created more than REPORT_RETENTION_DAYS ago with their files, in
   * batches, each with an audit event. A notification that carried one keeps its row.
   */
  async deleteExpired(): Promise<number> {
    const before = new Date(
      this.clock.now().getTime() - this.config.REPORT_RETENTION_DAYS * 86_400_000,
    );
    let deleted = 0;
    for (;;) {
      const batch = await this.dataSource.transaction(async (manager) => {
        const rows = await this.reports.lockReportsCreatedBefore(before, RETENTION_BATCH, manager);
        await this.reports.deleteReportsWithFiles(
          rows.map((row) => row.id),
          manager,
        );
        for (const row of rows) {
          await this.audit.record(manager, {
            actorId: null,
            action: 'report.expired',
            entityType: 'report',
            entityId: row.id,
            before: row,
          });
        }
        return rows.length;
      });
      deleted += batch;
      if (batch < RETENTION_BATCH) break;
    }
    if (deleted > 0)
      this.logger.log(`Deleted ${deleted} reports older than ${before.toISOString()}`);
    return deleted;
  }
}
