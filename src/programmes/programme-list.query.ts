import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AccessPolicy } from '../auth/access-policy.js';
import type { Principal } from '../auth/roles.js';
import { Clock } from '../common/clock.js';
import { type Page, paginate } from '../common/pagination.js';
import type {
  ProgrammeDetail,
  ProgrammeSort,
  ProgrammeSummary,
  ProgrammesQuery,
} from './dto/programme.dto.js';
import { countryDaysSinceSql } from '../common/country-calendar.sql.js';
import { overdueMilestoneSql } from '../milestones/milestone.sql.js';
import { localDate } from '../common/dates.js';
import { projectedOperationDate } from './operation-projection.js';
import { PhaseMediansQuery } from './phase-medians.query.js';
import { PHASES } from './programme.constants.js';

/** A row as read, before its projection; the country's zone dates the projection. */
type ListedRow = Omit<ProgrammeDetail, 'projectedOperationDate'> & { timezone: string };

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
    private readonly phaseMedians: PhaseMediansQuery,
  ) {}

  async list(user: Principal, query: ProgrammesQuery): Promise<Page<ProgrammeSummary>> {
    const page = await this.run(user, query, query);
    return { ...page, items: page.items.map(summary) };
  }

  /** One programme with the list's figures and its own fields; undefined when out of scope. */
  async one(user: Principal, id: string): Promise<ProgrammeDetail | undefined> {
    const { items } = await this.run(user, { id, sort: 'country' }, { page: 1, pageSize: 1 });
    return items[0];
  }

  private async run(
    user: Principal,
    filters: Partial<ProgrammesQuery> & { id?: string; sort: ProgrammeSort },
    page: { page: number; pageSize: number },
  ): Promise<Page<ProgrammeDetail>> {
    const now = this.clock.now();
    const [rows, medians] = await Promise.all([
      this.rows(user, filters, page, now),
      this.phaseMedians.medians(),
    ]);
    return {
      ...rows,
      items: rows.items.map(({ timezone, ...programme }) => ({
        ...programme,
        projectedOperationDate: projectedOperationDate(
          programme,
          localDate(now, timezone),
          medians,
        ),
      })),
    };
  }

  private rows(
    user: Principal,
    filters: Partial<ProgrammesQuery> & { id?: string; sort: ProgrammeSort },
    page: { page: number; pageSize: number },
    now: Date,
  ): Promise<Page<ListedRow>> {
    const params: unknown[] = [now, PHASES];
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
    // The count reads only the narrow columns, and the milestone figures and the readiness
    // score are read for the page's rows only.
    return paginate<ListedRow>(
      this.dataSource,
      page,
      {
        rows: `SELECT p.id, p.country_code, c.region_code, c.timezone, c.names ->> 'en' AS country_name,
                p.cirt_type, p.sector, p.title, p.phase, array_position($2::text[], p.phase) AS phase_rank,
                p.status, p.hold_reason, p.phase_entered_at, p.health, p.start_date, p.target_date,
                p.version, p.created_at, p.updated_at
         FROM programmes p JOIN countries c ON c.code = p.country_code
         WHERE ${where.join(' AND ')}`,
        orderBy: `${ORDER[filters.sort]}, id`,
        select: `page.id, page.country_code AS "countryCode", page.region_code AS "regionCode",
              page.cirt_type AS "cirtType", page.sector, page.title, page.phase, page.status,
              page.hold_reason AS "holdReason", page.phase_entered_at AS "phaseEnteredAt",
              ${countryDaysSinceSql('page.phase_entered_at', '$1', 'page.timezone')} AS "daysInPhase",
              page.health, readiness.overall_score::float AS "readinessScore", readiness.band AS "readinessBand",
              coalesce(figures.done, 0) AS "milestonesDone", coalesce(figures.total, 0) AS "milestonesTotal",
              coalesce(figures.overdue, 0) AS "overdueMilestones",
              to_char(page.start_date, 'YYYY-MM-DD') AS "startDate",
              to_char(page.target_date, 'YYYY-MM-DD') AS "targetDate",
              page.version, page.created_at AS "createdAt", page.updated_at AS "updatedAt",
              page.timezone`,
        join: `LEFT JOIN LATERAL (
         SELECT count(*) FILTER (WHERE m.status = 'done')::int AS done,
                count(*) FILTER (WHERE m.status <> 'cancelled')::int AS total,
                count(*) FILTER (WHERE ${overdueMilestoneSql('m', 'page.timezone', '$1')})::int AS overdue
         FROM milestones m WHERE m.programme_id = page.id
       ) figures ON page.id IS NOT NULL
       LEFT JOIN LATERAL (
         SELECT a.overall_score, a.band FROM assessments a
         WHERE a.programme_id = page.id AND a.kind = 'readiness' AND a.status = 'validated'
         ORDER BY a.validated_at DESC LIMIT 1
       ) readiness ON page.id IS NOT NULL`,
      },
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
