import { countryDaysSinceSql } from '../common/country-calendar.sql.js';
import { overdueMilestoneSql } from '../milestones/milestone.sql.js';

/** One row of the regional aggregates: a region's, or (regionCode null) the whole selection's. */
export interface RegionalAggregate {
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

/**
 * The regional aggregates (docs/domain.md §6), once, for the dashboard and the reports: per
 * region of the programmes that `where` selects (a condition on `p`, programmes, and `c`, their
 * countries), then one row for all of them (regionCode null), last. Cancelled programmes are
 * left out; overdue milestones and days in phase follow each country's calendar. `$1` is the
 * as-of instant. One statement, whatever the number of programmes.
 */
export function regionalAggregatesSql(where: string): string {
  return `WITH scoped AS (
       SELECT p.id, p.country_code, c.region_code, p.phase, p.health,
              ${countryDaysSinceSql('p.phase_entered_at', '$1', 'c.timezone')} AS days_in_phase,
              (SELECT a.overall_score FROM assessments a
               WHERE a.programme_id = p.id AND a.kind = 'readiness' AND a.status = 'validated'
               ORDER BY a.validated_at DESC LIMIT 1) AS readiness,
              (SELECT count(*) FROM milestones m
               WHERE m.programme_id = p.id AND ${overdueMilestoneSql('m', 'c.timezone', '$1')}) AS overdue,
              (SELECT count(*) FROM phase_transitions t
               WHERE t.programme_id = p.id AND t.status = 'approved' AND t.decided_at >= $1::timestamptz - interval '90 days') AS transitions
       FROM programmes p JOIN countries c ON c.code = p.country_code
       WHERE p.status <> 'cancelled' AND ${where}
     ), phases AS (
       SELECT region_code, phase, count(*) AS n FROM scoped GROUP BY GROUPING SETS ((region_code, phase), (phase))
     )
     SELECT s.region_code AS "regionCode", count(*)::int AS programmes, count(DISTINCT s.country_code)::int AS countries,
            coalesce((SELECT jsonb_object_agg(ph.phase, ph.n) FROM phases ph
                      WHERE ph.region_code IS NOT DISTINCT FROM s.region_code), '{}'::jsonb) AS "perPhase",
            round(avg(s.readiness), 1)::float AS "meanReadiness",
            count(*) FILTER (WHERE s.health = 'at_risk')::int AS "atRisk",
            count(*) FILTER (WHERE s.health = 'off_track')::int AS "offTrack",
            coalesce(sum(s.overdue), 0)::int AS "overdueMilestones",
            percentile_cont(0.5) WITHIN GROUP (ORDER BY s.days_in_phase)::float AS "medianDaysInPhase",
            coalesce(sum(s.transitions), 0)::int AS "transitionsLast90Days"
     FROM scoped s
     GROUP BY GROUPING SETS ((s.region_code), ())
     ORDER BY s.region_code NULLS LAST`;
}
