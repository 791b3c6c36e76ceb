import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

export interface ReportScope {
  regionCode?: string;
  countryCodes?: string[];
}

export interface ProgrammeRow {
  countryCode: string;
  countryName: string;
  regionCode: string;
  programmeId: string;
  title: string;
  cirtType: string;
  sector: string | null;
  phase: string;
  status: string;
  daysInPhase: number;
  health: string | null;
  readinessScore: number | null;
  readinessBand: string | null;
  maturityScore: number | null;
  milestonesDone: number;
  milestonesTotal: number;
  overdueMilestones: number;
  nextDueMilestone: string | null;
  nextDueDate: string | null;
  pendingTransition: string | null;
}

export interface Aggregate {
  /** null for the whole scope. */
  regionCode: string | null;
  programmes: number;
  countries: number;
  perPhase: Record<string, number>;
  meanReadiness: number | null;
  atRisk: number;
  offTrack: number;
  overdueMilestones: number;
  medianDaysInPhase: number | null;
  transitionsLast90Days: number;
}

export interface WeakIndicator {
  indicatorKey: string;
  meanLevel: number;
  assessments: number;
}

const OPEN = `('planned', 'in_progress', 'blocked')`;

/** The latest validated readiness assessment of each programme of the scope (`where` on p, c). */
const LATEST_READINESS = (where: string) => `
  SELECT DISTINCT ON (a.programme_id) a.id FROM assessments a
  JOIN programmes p ON p.id = a.programme_id JOIN countries c ON c.code = p.country_code
  WHERE a.kind = 'readiness' AND a.status = 'validated' AND p.status <> 'cancelled' AND ${where}
  ORDER BY a.programme_id, a.validated_at DESC`;

/**
 * What a report reads, as a handful of SQL statements over the whole scope: one row per
 * programme, one per region plus the total, and the weakest indicators. No query per country.
 * Cancelled programmes are left out.
 */
@Injectable()
export class ReportDataQuery {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  programmes(scope: ReportScope, asOf: Date): Promise<ProgrammeRow[]> {
    const { where, params } = this.scopeFilter(scope, [asOf]);
    return this.dataSource.query(
      `SELECT p.country_code AS "countryCode", c.names ->> 'en' AS "countryName", c.region_code AS "regionCode",
              p.id AS "programmeId", p.title, p.cirt_type AS "cirtType", p.sector, p.phase, p.status,
              (($1::timestamptz AT TIME ZONE c.timezone)::date - (p.phase_entered_at AT TIME ZONE c.timezone)::date) AS "daysInPhase",
              p.health,
              readiness.overall_score::float AS "readinessScore", readiness.band AS "readinessBand",
              maturity.overall_score::float AS "maturityScore",
              coalesce(m.done, 0) AS "milestonesDone", coalesce(m.total, 0) AS "milestonesTotal",
              coalesce(m.overdue, 0) AS "overdueMilestones",
              next_due.title AS "nextDueMilestone", to_char(next_due.due_date, 'YYYY-MM-DD') AS "nextDueDate",
              pending.to_phase AS "pendingTransition"
       FROM programmes p
       JOIN countries c ON c.code = p.country_code
       LEFT JOIN LATERAL (
         SELECT count(*) FILTER (WHERE status = 'done')::int AS done,
                count(*) FILTER (WHERE status <> 'cancelled')::int AS total,
                count(*) FILTER (WHERE status IN ${OPEN} AND due_date < ($1::timestamptz AT TIME ZONE c.timezone)::date)::int AS overdue
         FROM milestones WHERE programme_id = p.id
       ) m ON true
       LEFT JOIN LATERAL (
         SELECT title, due_date FROM milestones
         WHERE programme_id = p.id AND status IN ${OPEN} AND due_date >= ($1::timestamptz AT TIME ZONE c.timezone)::date
         ORDER BY due_date, title LIMIT 1
       ) next_due ON true
       LEFT JOIN LATERAL (
         SELECT overall_score, band FROM assessments
         WHERE programme_id = p.id AND kind = 'readiness' AND status = 'validated' ORDER BY validated_at DESC LIMIT 1
       ) readiness ON true
       LEFT JOIN LATERAL (
         SELECT overall_score FROM assessments
         WHERE programme_id = p.id AND kind = 'maturity' AND status = 'validated' ORDER BY validated_at DESC LIMIT 1
       ) maturity ON true
       LEFT JOIN phase_transitions pending ON pending.programme_id = p.id AND pending.status = 'pending'
       WHERE p.status <> 'cancelled' AND ${where}
       ORDER BY c.region_code, c.names ->> 'en', p.title, p.id`,
      params,
    );
  }

  /** One row per region of the scope, and a last one (regionCode null) for the whole scope. */
  async aggregates(scope: ReportScope, asOf: Date): Promise<Aggregate[]> {
    const { where, params } = this.scopeFilter(scope, [asOf]);
    const rows: (Omit<Aggregate, 'perPhase'> & { perPhase: Record<string, number> | null })[] =
      await this.dataSource.query(
        `WITH scoped AS (
         SELECT p.id, p.country_code, c.region_code, p.phase, p.health,
                (($1::timestamptz AT TIME ZONE c.timezone)::date - (p.phase_entered_at AT TIME ZONE c.timezone)::date) AS days_in_phase,
                (SELECT a.overall_score FROM assessments a
                 WHERE a.programme_id = p.id AND a.kind = 'readiness' AND a.status = 'validated'
                 ORDER BY a.validated_at DESC LIMIT 1) AS readiness,
                (SELECT count(*) FROM milestones m
                 WHERE m.programme_id = p.id AND m.status IN ${OPEN}
                   AND m.due_date < ($1::timestamptz AT TIME ZONE c.timezone)::date) AS overdue,
                (SELECT count(*) FROM phase_transitions t
                 WHERE t.programme_id = p.id AND t.status = 'approved' AND t.decided_at >= $1::timestamptz - interval '90 days') AS transitions
         FROM programmes p JOIN countries c ON c.code = p.country_code
         WHERE p.status <> 'cancelled' AND ${where}
       ), phases AS (
         SELECT region_code, phase, count(*) AS n FROM scoped GROUP BY GROUPING SETS ((region_code, phase), (phase))
       )
       SELECT s.region_code AS "regionCode", count(*)::int AS programmes, count(DISTINCT s.country_code)::int AS countries,
              (SELECT jsonb_object_agg(ph.phase, ph.n) FROM phases ph
               WHERE ph.region_code IS NOT DISTINCT FROM s.region_code) AS "perPhase",
              round(avg(s.readiness), 1)::float AS "meanReadiness",
              count(*) FILTER (WHERE s.health = 'at_risk')::int AS "atRisk",
              count(*) FILTER (WHERE s.health = 'off_track')::int AS "offTrack",
              coalesce(sum(s.overdue), 0)::int AS "overdueMilestones",
              percentile_cont(0.5) WITHIN GROUP (ORDER BY s.days_in_phase)::float AS "medianDaysInPhase",
              coalesce(sum(s.transitions), 0)::int AS "transitionsLast90Days"
       FROM scoped s
       GROUP BY GROUPING SETS ((s.region_code), ())
       ORDER BY s.region_code NULLS LAST`,
        params,
      );
    return rows.map((row) => ({ ...row, perPhase: row.perPhase ?? {} }));
  }

  /** The indicators with the lowest mean level in the latest validated readiness assessments. */
  weakestIndicators(scope: ReportScope, limit = 10): Promise<WeakIndicator[]> {
    const { where, params } = this.scopeFilter(scope, []);
    params.push(limit);
    return this.dataSource.query(
      `WITH latest AS (${LATEST_READINESS(where)})
       SELECT r.indicator_key AS "indicatorKey", round(avg(r.level), 2)::float AS "meanLevel",
              count(*)::int AS assessments
       FROM assessment_responses r JOIN latest ON latest.id = r.assessment_id
       WHERE r.level IS NOT NULL
       GROUP BY r.indicator_key
       ORDER BY avg(r.level), r.indicator_key
       LIMIT $${params.length}`,
      params,
    );
  }

  /** How many assessments the weakest indicators are the means of. */
  async indicatorAssessments(scope: ReportScope): Promise<number> {
    const { where, params } = this.scopeFilter(scope, []);
    const [{ n }] = await this.dataSource.query(
      `SELECT count(*)::int AS n FROM (${LATEST_READINESS(where)}) latest`,
      params,
    );
    return n;
  }

  private scopeFilter(scope: ReportScope, params: unknown[]): { where: string; params: unknown[] } {
    if (scope.regionCode)
      return { where: `c.region_code = $${params.push(scope.regionCode)}`, params };
    if (scope.countryCodes)
      return { where: `c.code = ANY($${params.push(scope.countryCodes)})`, params };
    return { where: 'TRUE', params };
  }
}
