import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AccessPolicy } from '../auth/access-policy.js';
import type { Principal } from '../auth/roles.js';
import { PHASES, type Phase } from '../programmes/programme.constants.js';

export interface PortfolioCountry {
  code: string;
  name: string;
  regionCode: string;
  /** The national programme's phase, or the furthest one when there is no national programme. */
  phase: Phase;
  programmes: number;
}

export interface PortfolioRegion {
  regionCode: string;
  countries: number;
  programmes: number;
  perPhase: Record<string, number>;
  atRisk: number;
  offTrack: number;
  overdueMilestones: number;
}

/** The dashboard's aggregates over the countries a user may read, in two SQL statements. */
@Injectable()
export class PortfolioQuery {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly policy: AccessPolicy,
  ) {}

  countries(user: Principal, lang: string): Promise<PortfolioCountry[]> {
    const params: unknown[] = [lang, PHASES];
    const scope = this.policy.scopeSql(
      this.policy.readScope(user),
      { country: 'c.code', region: 'c.region_code' },
      params,
    );
    return this.dataSource.query(
      `SELECT c.code, coalesce(c.names ->> $1, c.names ->> 'en') AS name, c.region_code AS "regionCode",
              (array_agg(p.phase ORDER BY p.cirt_type = 'national' DESC, array_position($2::text[], p.phase) DESC))[1] AS phase,
              count(*)::int AS programmes
       FROM programmes p JOIN countries c ON c.code = p.country_code
       WHERE p.status <> 'cancelled' AND ${scope}
       GROUP BY c.code
       ORDER BY 2`,
      params,
    );
  }

  regions(user: Principal, asOf: Date): Promise<PortfolioRegion[]> {
    const params: unknown[] = [asOf];
    const scope = this.policy.scopeSql(
      this.policy.readScope(user),
      { country: 'c.code', region: 'c.region_code' },
      params,
    );
    return this.dataSource.query(
      `WITH scoped AS (
         SELECT p.id, c.code, c.region_code, p.phase, p.health,
                (SELECT count(*) FROM milestones m
                 WHERE m.programme_id = p.id AND m.status IN ('planned', 'in_progress', 'blocked')
                   AND m.due_date < ($1::timestamptz AT TIME ZONE c.timezone)::date) AS overdue
         FROM programmes p JOIN countries c ON c.code = p.country_code
         WHERE p.status <> 'cancelled' AND ${scope}
       ), phases AS (
         SELECT region_code, jsonb_object_agg(phase, n) AS per_phase
         FROM (SELECT region_code, phase, count(*)::int AS n FROM scoped GROUP BY 1, 2) counted
         GROUP BY region_code
       )
       SELECT s.region_code AS "regionCode", count(DISTINCT s.code)::int AS countries,
              count(*)::int AS programmes, ph.per_phase AS "perPhase",
              count(*) FILTER (WHERE s.health = 'at_risk')::int AS "atRisk",
              count(*) FILTER (WHERE s.health = 'off_track')::int AS "offTrack",
              coalesce(sum(s.overdue), 0)::int AS "overdueMilestones"
       FROM scoped s JOIN phases ph ON ph.region_code = s.region_code
       GROUP BY s.region_code, ph.per_phase
       ORDER BY s.region_code`,
      params,
    );
  }
}
