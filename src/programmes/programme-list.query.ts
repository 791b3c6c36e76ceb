import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AccessPolicy } from '../auth/access-policy.js';
import type { Principal } from '../auth/roles.js';
import { Clock } from '../common/clock.js';
import type { Page } from '../common/pagination.js';
import type {
  ProgrammeDetail,
  ProgrammeSort,
  ProgrammeSummary,
  ProgrammesQuery,
} from './dto/programme.dto.js';
import { PHASES } from './programme.constants.js';

const ORDER: Record<ProgrammeSort, string> = {
  country: 'country_name ASC',
  '-country': 'country_name DESC',
  phase: 'phase_rank ASC',
  '-phase': 'phase_rank DESC',
  daysInPhase: 'phase_entered_at DESC',
  '-daysInPhase': 'phase_entered_at ASC',
  updatedAt: 'updated_at ASC',
  '-updatedAt': 'updated_at DESC',
};

type Row = ProgrammeDetail & { total: number };

/**
 * The programme list in one SQL statement: the caller's scope and the filters select the
 * programmes, the page is cut, and only the page's rows get their milestone counts. Dates are
 * the country's: "overdue" and "days in phase" follow its calendar.
 */
@Injectable()
export class ProgrammeListQuery {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly policy: AccessPolicy,
    private readonly clock: Clock,
  ) {}

  async list(user: Principal, query: ProgrammesQuery): Promise<Page<ProgrammeSummary>> {
    const rows = await this.run(user, query, query.pageSize, query.offset);
    const total = rows[0]?.total ?? 0;
    const items = rows.filter((row) => row.id !== null).map(({ total: _total, ...item }) => item);
    return { items: items.map(summary), total, page: query.page, pageSize: query.pageSize };
  }

  /** One programme with the list's figures and its own fields; undefined when out of scope. */
  async one(user: Principal, id: string): Promise<ProgrammeDetail | undefined> {
    const [row] = await this.run(user, { id, sort: 'country' }, 1, 0);
    if (!row?.id) return undefined;
    const { total: _total, ...detail } = row;
    return detail;
  }

  private async run(
    user: Principal,
    filters: Partial<ProgrammesQuery> & { id?: string; sort: ProgrammeSort },
    limit: number,
    offset: number,
  ): Promise<Row[]> {
    const params: unknown[] = [this.clock.now(), PHASES];
    const where = [
      this.policy.scopeSql(
        this.policy.readScope(user),
        { country: 'p.country_code', region: 'c.region_code' },
        params,
      ),
    ];
    const equal = (column: string, value: string | undefined) => {
      if (value === undefined) return;
      params.push(value);
      where.push(`${column} = $${params.length}`);
    };
    equal('p.id', filters.id);
    equal('c.region_code', filters.region);
    equal('p.country_code', filters.country);
    equal('p.phase', filters.phase);
    equal('p.status', filters.status);
    equal('p.health', filters.health);
    if (filters.q) {
      params.push(`%${filters.q.replace(/[\\%_]/g, '\\$&')}%`, filters.q.toUpperCase());
      where.push(
        `(p.title ILIKE $${params.length - 1} OR c.names ->> 'en' ILIKE $${params.length - 1}
          OR p.country_code = $${params.length})`,
      );
    }
    params.push(limit, offset);
    const order = `${ORDER[filters.sort]}, id`;

    // Not materialised, so the count reads only the narrow columns and the page only its rows.
    return this.dataSource.query(
      `WITH matching AS NOT MATERIALIZED (
         SELECT p.id, p.country_code, c.region_code, c.timezone, c.names ->> 'en' AS country_name,
                p.cirt_type, p.sector, p.title, p.phase, array_position($2::text[], p.phase) AS phase_rank,
                p.status, p.hold_reason, p.phase_entered_at, p.health, p.start_date, p.target_date,
                p.version, p.created_at, p.updated_at
         FROM programmes p JOIN countries c ON c.code = p.country_code
         WHERE ${where.join(' AND ')}
       ), page AS (
         SELECT * FROM matching ORDER BY ${order} LIMIT $${params.length - 1} OFFSET $${params.length}
       )
       SELECT counted.total, page.id, page.country_code AS "countryCode", page.region_code AS "regionCode",
              page.cirt_type AS "cirtType", page.sector, page.title, page.phase, page.status,
              page.hold_reason AS "holdReason", page.phase_entered_at AS "phaseEnteredAt",
              (($1::timestamptz AT TIME ZONE page.timezone)::date
                - (page.phase_entered_at AT TIME ZONE page.timezone)::date) AS "daysInPhase",
              page.health, readiness.overall_score::float AS "readinessScore", readiness.band AS "readinessBand",
              coalesce(figures.done, 0) AS "milestonesDone", coalesce(figures.total, 0) AS "milestonesTotal",
              coalesce(figures.overdue, 0) AS "overdueMilestones",
              to_char(page.start_date, 'YYYY-MM-DD') AS "startDate",
              to_char(page.target_date, 'YYYY-MM-DD') AS "targetDate",
              page.version, page.created_at AS "createdAt", page.updated_at AS "updatedAt"
       FROM (SELECT count(*)::int AS total FROM matching) counted
       LEFT JOIN page ON true
       LEFT JOIN LATERAL (
         SELECT count(*) FILTER (WHERE m.status = 'done')::int AS done,
                count(*) FILTER (WHERE m.status <> 'cancelled')::int AS total,
                count(*) FILTER (WHERE m.status IN ('planned', 'in_progress', 'blocked')
                  AND m.due_date < ($1::timestamptz AT TIME ZONE page.timezone)::date)::int AS overdue
         FROM milestones m WHERE m.programme_id = page.id
       ) figures ON page.id IS NOT NULL
       LEFT JOIN LATERAL (
         SELECT a.overall_score, a.band FROM assessments a
         WHERE a.programme_id = page.id AND a.kind = 'readiness' AND a.status = 'validated'
         ORDER BY a.validated_at DESC LIMIT 1
       ) readiness ON page.id IS NOT NULL
       ORDER BY ${order.replace(/(^|, )/g, '$1page.')}`,
      params,
    );
  }
}

function summary(row: ProgrammeDetail): ProgrammeSummary {
  const {
    holdReason: _holdReason,
    startDate: _startDate,
    targetDate: _targetDate,
    createdAt: _createdAt,
    pendingTransition: _pendingTransition,
    latestStatusUpdate: _latestStatusUpdate,
    latestAssessments: _latestAssessments,
    ...fields
  } = row;
  return fields;
}
