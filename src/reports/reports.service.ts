import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import type { Actor, Principal } from '../auth/roles.js';
import { AuditService } from '../audit/audit.service.js';
import { Clock } from '../common/clock.js';
import { notFound } from '../common/domain-error.js';
import { type Page, type PageQuery, paginate } from '../common/pagination.js';
import { AppConfig } from '../config/app-config.js';
import { QueueName, ReportJob } from '../queues/queue-names.js';
import type {
  CreateReportDto,
  ReportAcceptedResponse,
  ReportFormat,
  ReportResponse,
} from './dto/report.dto.js';
import { ReportScopes, readsIndicatorDetail, scopeKey } from './report-scope.js';

/** Reports deleted per transaction by the retention job. */
const RETENTION_BATCH = 500;

const COLUMNS = `r.id, r.status, r.progress, r.as_of AS "asOf", r.scope, r.formats, r.summary, r.error,
  r.content_hash AS "contentHash", r.requested_by AS "requestedBy", r.created_at AS "createdAt",
  r.completed_at AS "completedAt", r.schedule_id AS "scheduleId"`;

@Injectable()
export class ReportsService {
  private readonly logger = new Logger(ReportsService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectQueue(QueueName.Reports) private readonly queue: Queue,
    private readonly audit: AuditService,
    private readonly scopes: ReportScopes,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  /**
   * Stores the queued report, then queues its compile job. The row is the outbox: if Redis is
   * away, the relay tick queues it later, so a request is never lost.
   */
  async request(actor: Actor, dto: CreateReportDto): Promise<ReportAcceptedResponse> {
    const scope = await this.scopes.authorise(actor.user, dto.scope);
    const id = await this.dataSource.transaction(async (manager) => {
      const [row] = await manager.query(
        `INSERT INTO reports (requested_by, scope, scope_key, formats) VALUES ($1, $2, $3, $4) RETURNING id`,
        [actor.user.id, scope, scopeKey(scope), dto.formats],
      );
      await this.audit.record(manager, {
        actorId: actor.user.id,
        action: 'report.requested',
        entityType: 'report',
        entityId: row.id,
        after: { scope, formats: dto.formats },
        requestId: actor.requestId,
      });
      return row.id as string;
    });
    await this.queue
      .add(ReportJob.Compile, { reportId: id }, { jobId: id })
      .catch((error: Error) => {
        this.logger.warn(`Report ${id} waits for the relay: ${error.message}`);
      });
    return { id, status: 'queued' };
  }

  /** Moves queued reports into the queue; a job already there for a report is left as it is. */
  async relayQueued(): Promise<number> {
    const queued: { id: string }[] = await this.dataSource.query(
      `SELECT id FROM reports WHERE status = 'queued' ORDER BY created_at LIMIT 100`,
    );
    if (queued.length > 0) {
      await this.queue.addBulk(
        queued.map(({ id }) => ({
          name: ReportJob.Compile,
          data: { reportId: id },
          opts: { jobId: id },
        })),
      );
    }
    return queued.length;
  }

  async list(user: Principal, query: PageQuery): Promise<Page<ReportResponse>> {
    const params: unknown[] = [];
    const where = this.scopes.visibleTo(user, params, 'r.scope');
    return paginate<ReportResponse>(
      this.dataSource,
      query,
      {
        rows: `SELECT ${COLUMNS} FROM reports r WHERE ${where}`,
        orderBy: 'r.created_at DESC, r.id',
      },
      params,
    );
  }

  async get(user: Principal, id: string): Promise<ReportResponse> {
    const params: unknown[] = [id];
    const [row] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM reports r WHERE r.id = $1 AND ${this.scopes.visibleTo(user, params, 'r.scope')}`,
      params,
    );
    if (!row) throw notFound(`Report ${id}`);
    return row;
  }

  async file(user: Principal, id: string, format: ReportFormat) {
    await this.get(user, id);
    // Readers with scores only get the copy without indicator levels, where there is one.
    const [file] = await this.dataSource.query(
      `SELECT CASE WHEN $3 THEN content ELSE coalesce(observer_content, content) END AS content,
              content_type AS "contentType", file_name AS "fileName"
       FROM report_files WHERE report_id = $1 AND format = $2`,
      [id, format, readsIndicatorDetail(user)],
    );
    if (!file) throw notFound(`The ${format} file of report ${id}`);
    return file as { content: Buffer; contentType: string; fileName: string };
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
        const rows: { id: string; scope: object; createdAt: Date }[] = await manager.query(
          `SELECT id, scope, created_at AS "createdAt" FROM reports WHERE created_at < $1
           ORDER BY created_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
          [before, RETENTION_BATCH],
        );
        const ids = rows.map((row) => row.id);
        await manager.query('DELETE FROM report_files WHERE report_id = ANY($1)', [ids]);
        await manager.query('DELETE FROM reports WHERE id = ANY($1)', [ids]);
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
