import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import type { Actor, Principal } from '../auth/roles.js';
import { AuditService } from '../audit/audit.service.js';
import { NotFoundError, ValidationFailedError } from '../common/domain-error.js';
import type { Page, PageQuery } from '../common/pagination.js';
import { QueueName, ReportJob } from '../queues/queue-names.js';
import type { CreateReportDto, ReportFormat } from './dto/report.dto.js';
import type { ReportScope } from './report-data.query.js';

const COLUMNS = `r.id, r.status, r.progress, r.as_of AS "asOf", r.scope, r.formats, r.summary, r.error,
  r.content_hash AS "contentHash", r.requested_by AS "requestedBy", r.created_at AS "createdAt",
  r.completed_at AS "completedAt"`;

/** "global", "region:AFR" or "countries:FR,KE": how reports of the same scope find each other. */
function scopeKey(scope: ReportScope): string {
  if (scope.regionCode) return `region:${scope.regionCode}`;
  if (scope.countryCodes) return `countries:${[...scope.countryCodes].sort().join(',')}`;
  return 'global';
}

@Injectable()
export class ReportsService {
  private readonly logger = new Logger(ReportsService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectQueue(QueueName.Reports) private readonly queue: Queue,
    private readonly audit: AuditService,
  ) {}

  /**
   * Stores the queued report, then queues its compile job. The row is the outbox: if Redis is
   * away, the relay tick queues it later, so a request is never lost.
   */
  async request(actor: Actor, dto: CreateReportDto): Promise<{ id: string; status: 'queued' }> {
    const scope = await this.authorisedScope(actor.user, dto.scope);
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

  async list(user: Principal, query: PageQuery): Promise<Page<object>> {
    const params: unknown[] = [];
    const where = this.visibleTo(user, params);
    params.push(query.pageSize, query.offset);
    const rows: { total: number }[] = await this.dataSource.query(
      `SELECT count(*) OVER ()::int AS total, ${COLUMNS} FROM reports r WHERE ${where}
       ORDER BY r.created_at DESC, r.id LIMIT $${params.length - 1} OFFSET $${params.length}`,
      params,
    );
    return {
      items: rows.map(({ total: _total, ...row }) => row),
      total: rows[0]?.total ?? 0,
      page: query.page,
      pageSize: query.pageSize,
    };
  }

  async get(user: Principal, id: string): Promise<object> {
    const params: unknown[] = [id];
    const [row] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM reports r WHERE r.id = $1 AND ${this.visibleTo(user, params)}`,
      params,
    );
    if (!row) throw new NotFoundError(`Report ${id}`);
    return row;
  }

  async file(user: Principal, id: string, format: ReportFormat) {
    await this.get(user, id);
    const [file] = await this.dataSource.query(
      `SELECT content, content_type AS "contentType", file_name AS "fileName" FROM report_files WHERE report_id = $1 AND format = $2`,
      [id, format],
    );
    if (!file) throw new NotFoundError(`The ${format} file of report ${id}`);
    return file as { content: Buffer; contentType: string; fileName: string };
  }

  /** A coordinator reports on their own region only; the ITU and administrators on anything. */
  private async authorisedScope(user: Principal, given: ReportScope): Promise<ReportScope> {
    if (given.regionCode && given.countryCodes) {
      throw ValidationFailedError.of('scope', 'give regionCode or countryCodes, not both');
    }
    const scope: ReportScope =
      user.role === 'regional_coordinator' && !given.regionCode && !given.countryCodes
        ? { regionCode: user.regionCode! }
        : { ...given };
    if (scope.countryCodes) {
      const known: { code: string; regionCode: string }[] = await this.dataSource.query(
        `SELECT code, region_code AS "regionCode" FROM countries WHERE code = ANY($1)`,
        [scope.countryCodes],
      );
      const unknown = scope.countryCodes.filter(
        (code) => !known.some((country) => country.code === code),
      );
      if (unknown.length > 0)
        throw ValidationFailedError.of('scope.countryCodes', `not tracked: ${unknown.join(', ')}`);
      const foreign = known.find(
        (country) => user.role === 'regional_coordinator' && country.regionCode !== user.regionCode,
      );
      if (foreign) throw new NotFoundError(`Country ${foreign.code}`);
    }
    if (
      scope.regionCode &&
      user.role === 'regional_coordinator' &&
      scope.regionCode !== user.regionCode
    ) {
      throw new NotFoundError(`Region ${scope.regionCode}`);
    }
    return scope;
  }

  /** Reports a user may read: all for the ITU, administrators and observers; a coordinator's region's. */
  private visibleTo(user: Principal, params: unknown[]): string {
    if (user.role !== 'regional_coordinator') return 'TRUE';
    params.push(user.regionCode);
    const region = `$${params.length}`;
    return `(r.scope ->> 'regionCode' = ${region}
      OR (r.scope ? 'countryCodes' AND NOT EXISTS (
        SELECT 1 FROM jsonb_array_elements_text(r.scope -> 'countryCodes') AS listed(code)
        JOIN countries c ON c.code = listed.code WHERE c.region_code <> ${region})))`;
  }
}
