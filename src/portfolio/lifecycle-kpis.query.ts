import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AccessPolicy } from '../auth/access-policy.js';
import type { Principal } from '../auth/roles.js';
import { Clock } from '../common/clock.js';
import { ValidationFieldErrors } from '../common/common.errors.js';
import { countryDateSql, countryTodaySql } from '../common/country-calendar.sql.js';
import { invalidField } from '../common/domain-error.js';
import { AppConfig } from '../config/app-config.js';
import { overdueOnSql } from '../milestones/milestone.sql.js';
import { completedPhasesSql, establishmentSql } from '../programmes/phase-durations.sql.js';
import { PHASES } from '../programmes/programme.constants.js';
import { type ReminderRules, reminderRules } from '../reminders/reminder-rules.js';
import { staleStatusUpdateSql } from '../reminders/status-update-stale.sql.js';
import type {
  MediansCounted,
  PortfolioKpis,
  PortfolioKpisQuery,
  QuarterTransitions,
  RegionKpis,
} from './dto/portfolio-kpis.dto.js';

interface PhaseCount {
  regionCode: string;
  phase: string;
  programmes: number;
  established: number;
  stale: number;
}

/** A median and how many values it was taken over; regionCode null for the whole scope. */
interface Median {
  regionCode: string | null;
  phase?: string;
  medianDays: number;
  counted: number;
}

/** The figures of one region, or of the whole scope, before they are put in the answer. */
interface Figures {
  programmes: number;
  established: number;
  medianDaysToOperation: number | null;
  phaseMedianDays: Record<string, number>;
  counted: MediansCounted;
}

/** Appends its parameters to `params` and answers a condition on the programme `p` and country `c`. */
export type ScopeCondition = (params: unknown[]) => string;

/** Calendar dates bounding the figures over time; null for no bound. */
export interface Period {
  from: string | null;
  to: string | null;
}

/** `$from` and `$to` bound a country date expression `day`; either may be null (no bound). */
const inPeriodSql = (day: string, from: string, to: string) =>
  `(${from}::date IS NULL OR ${day} >= ${from}::date) AND (${to}::date IS NULL OR ${day} <= ${to}::date)`;

/**
 * The lifecycle KPIs (docs/domain.md §7) of the programmes a user may read, cancelled ones left
 * out: the portfolio now (per phase, established, silent, late milestones) and over the period
 * (phase and establishment medians, the milestone on-time rate, transitions per quarter). Five
 * aggregate statements, each over the phase history or the milestones in the database, never
 * programme by programme; dates are each country's.
 */
@Injectable()
export class LifecycleKpisQuery {
  /** The rules as configured: a "stale update" here is one the reminders chase. */
  private readonly rules: ReminderRules;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly policy: AccessPolicy,
    private readonly clock: Clock,
    config: AppConfig,
  ) {
    this.rules = reminderRules(config.REMINDER_RULES);
  }

  /** The KPIs the API answers: the user's read scope, narrowed to a region if asked. */
  kpis(user: Principal, query: PortfolioKpisQuery): Promise<PortfolioKpis> {
    if (query.from && query.to && query.to < query.from) {
      throw invalidField('to', ValidationFieldErrors.to_before_from);
    }
    const scope: ScopeCondition = (params) => {
      const where = [
        this.policy.scopeSql(
          this.policy.readScope(user),
          { country: 'p.country_code', region: 'c.region_code' },
          params,
        ),
      ];
      if (query.region) where.push(`c.region_code = $${params.push(query.region)}`);
      return where.join(' AND ');
    };
    return this.compute(
      scope,
      { from: query.from ?? null, to: query.to ?? null },
      this.clock.now(),
    );
  }

  /** The KPIs of the programmes `scope` selects, at `asOf`, over `period`. */
  async compute(scope: ScopeCondition, period: Period, asOf: Date): Promise<PortfolioKpis> {
    const [phaseCounts, phaseMedians, operationMedians, milestones, quarters] = await Promise.all([
      this.phaseCounts(scope, asOf),
      this.phaseMedians(scope, period),
      this.operationMedians(scope, period),
      this.milestones(scope, asOf, period),
      this.transitionsByQuarter(scope, period),
    ]);
    const figures = (regionCode: string | null): Figures => {
      const counts = phaseCounts.filter(
        (row) => regionCode === null || row.regionCode === regionCode,
      );
      const phases = phaseMedians.filter((row) => row.regionCode === regionCode);
      const operation = operationMedians.find((row) => row.regionCode === regionCode);
      return {
        programmes: sum(counts.map((row) => row.programmes)),
        established: sum(counts.map((row) => row.established)),
        medianDaysToOperation: operation?.medianDays ?? null,
        phaseMedianDays: Object.fromEntries(phases.map((row) => [row.phase, row.medianDays])),
        counted: {
          daysToOperation: operation?.counted ?? 0,
          phases: Object.fromEntries(phases.map((row) => [row.phase, row.counted])),
        },
      };
    };
    const regions = [...new Set(phaseCounts.map((row) => row.regionCode))].sort();
    const byRegion: RegionKpis[] = regions.map((regionCode) => ({
      regionCode,
      ...figures(regionCode),
    }));
    const total = figures(null);
    return {
      period,
      programmes: total.programmes,
      byPhase: Object.fromEntries(
        PHASES.map((phase) => [
          phase,
          sum(phaseCounts.filter((row) => row.phase === phase).map((row) => row.programmes)),
        ]),
      ),
      established: total.established,
      medianDaysToOperation: total.medianDaysToOperation,
      phaseMedianDays: total.phaseMedianDays,
      counted: total.counted,
      byRegion,
      milestoneOnTimeRate:
        milestones.done > 0
          ? Math.round((milestones.onTime / milestones.done) * 1000) / 1000
          : null,
      milestonesDone: milestones.done,
      transitionsByQuarter: quarters,
      staleUpdates: sum(phaseCounts.map((row) => row.stale)),
      overdueMilestonesByAge: {
        '1-30': milestones.overdue1to30,
        '31-90': milestones.overdue31to90,
        '91+': milestones.overdue91plus,
      },
    };
  }

  private phaseCounts(scope: ScopeCondition, now: Date): Promise<PhaseCount[]> {
    const params: unknown[] = [now, this.rules.statusUpdateStale.afterDays];
    return this.dataSource.query(
      `SELECT c.region_code AS "regionCode", p.phase, count(*)::int AS programmes,
              count(*) FILTER (WHERE p.phase IN ('operation', 'maintenance') OR EXISTS (
                SELECT 1 FROM phase_transitions t
                WHERE t.programme_id = p.id AND t.status = 'approved' AND t.to_phase = 'operation'))::int AS established,
              count(*) FILTER (WHERE p.status = 'active' AND ${staleStatusUpdateSql('p', 'c.timezone', '$1', '$2')})::int AS stale
       FROM programmes p JOIN countries c ON c.code = p.country_code
       WHERE p.status <> 'cancelled' AND ${scope(params)}
       GROUP BY c.region_code, p.phase`,
      params,
    );
  }

  /** Median days in each phase over the phases left in the period, per region and overall. */
  private phaseMedians(scope: ScopeCondition, period: Period): Promise<Median[]> {
    const params: unknown[] = [period.from, period.to];
    return this.dataSource.query(
      `SELECT region_code AS "regionCode", phase,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY days)::float AS "medianDays", count(*)::int AS counted
       FROM (${completedPhasesSql(scope(params))}) completed
       WHERE ${inPeriodSql('left_on', '$1', '$2')}
       GROUP BY GROUPING SETS ((region_code, phase), (phase))`,
      params,
    );
  }

  /** Median days from readiness to operation over those established in the period. */
  private operationMedians(scope: ScopeCondition, period: Period): Promise<Median[]> {
    const params: unknown[] = [period.from, period.to];
    return this.dataSource.query(
      `SELECT region_code AS "regionCode",
              percentile_cont(0.5) WITHIN GROUP (ORDER BY days)::float AS "medianDays", count(*)::int AS counted
       FROM (${establishmentSql(scope(params))}) established
       WHERE days IS NOT NULL AND ${inPeriodSql('established_on', '$1', '$2')}
       GROUP BY GROUPING SETS ((region_code), ())`,
      params,
    );
  }

  private async milestones(scope: ScopeCondition, now: Date, period: Period) {
    const params: unknown[] = [now, period.from, period.to];
    // Each country's today and period bounds are worked out once, in its own row (MATERIALIZED,
    // or the planner inlines them into every milestone's row): zone conversions are most of such
    // a statement's time.
    const done = `m.status = 'done' AND m.completed_at IS NOT NULL
      AND ($2::date IS NULL OR m.completed_at >= c.period_starts)
      AND ($3::date IS NULL OR m.completed_at < c.period_ends)`;
    const overdue = overdueOnSql('m', 'c.today');
    const daysLate = 'c.today - m.due_date';
    const [row] = await this.dataSource.query(
      `WITH country_days AS MATERIALIZED (
         SELECT code, region_code, timezone, ${countryTodaySql('$1', 'timezone')} AS today,
                $2::date::timestamp AT TIME ZONE timezone AS period_starts,
                ($3::date + 1)::timestamp AT TIME ZONE timezone AS period_ends
         FROM countries
       )
       SELECT count(*) FILTER (WHERE ${done})::int AS done,
              count(*) FILTER (WHERE ${done} AND ${countryDateSql('m.completed_at', 'c.timezone')} <= m.due_date)::int AS "onTime",
              count(*) FILTER (WHERE ${overdue} AND ${daysLate} <= 30)::int AS "overdue1to30",
              count(*) FILTER (WHERE ${overdue} AND ${daysLate} BETWEEN 31 AND 90)::int AS "overdue31to90",
              count(*) FILTER (WHERE ${overdue} AND ${daysLate} > 90)::int AS "overdue91plus"
       FROM milestones m
       JOIN programmes p ON p.id = m.programme_id JOIN country_days c ON c.code = p.country_code
       WHERE p.status <> 'cancelled' AND ${scope(params)}`,
      params,
    );
    return row as {
      done: number;
      onTime: number;
      overdue1to30: number;
      overdue31to90: number;
      overdue91plus: number;
    };
  }

  /** Phase changes per quarter of the period, every quarter from the first to the last shown. */
  private async transitionsByQuarter(
    scope: ScopeCondition,
    period: Period,
  ): Promise<QuarterTransitions[]> {
    const params: unknown[] = [period.from, period.to];
    const decidedOn = countryDateSql('t.decided_at', 'c.timezone');
    const rows: QuarterTransitions[] = await this.dataSource.query(
      `SELECT to_char(${decidedOn}, 'YYYY-"Q"Q') AS quarter,
              count(*) FILTER (WHERE t.direction = 'forward')::int AS forward,
              count(*) FILTER (WHERE t.direction = 'backward')::int AS backward
       FROM phase_transitions t
       JOIN programmes p ON p.id = t.programme_id JOIN countries c ON c.code = p.country_code
       WHERE t.status = 'approved' AND p.status <> 'cancelled' AND ${inPeriodSql(decidedOn, '$1', '$2')}
         AND ${scope(params)}
       GROUP BY 1 ORDER BY 1`,
      params,
    );
    return everyQuarter(rows);
  }
}

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);

/** The quarters from the first to the last, those without a phase change shown as zero. */
function everyQuarter(rows: QuarterTransitions[]): QuarterTransitions[] {
  if (rows.length === 0) return [];
  const index = (quarter: string) => Number(quarter.slice(0, 4)) * 4 + Number(quarter.slice(6)) - 1;
  const byQuarter = new Map(rows.map((row) => [row.quarter, row]));
  const filled: QuarterTransitions[] = [];
  for (let i = index(rows[0].quarter); i <= index(rows[rows.length - 1].quarter); i++) {
    const quarter = `${Math.floor(i / 4)}-Q${(i % 4) + 1}`;
    filled.push(byQuarter.get(quarter) ?? { quarter, forward: 0, backward: 0 });
  }
  return filled;
}
