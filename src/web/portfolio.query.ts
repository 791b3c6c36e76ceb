import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AccessPolicy } from '../auth/access-policy.js';
import type { Principal } from '../auth/roles.js';
import { PHASES, type Phase } from '../programmes/programme.constants.js';
import {
  type RegionalAggregate,
  regionalAggregatesSql,
} from '../programmes/regional-aggregates.sql.js';

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

  async regions(user: Principal, asOf: Date): Promise<PortfolioRegion[]> {
    const params: unknown[] = [asOf];
    const scope = this.policy.scopeSql(
      this.policy.readScope(user),
      { country: 'c.code', region: 'c.region_code' },
      params,
    );
    // The reports' regional aggregates, over the user's scope; the dashboard shows the regions.
    const rows: RegionalAggregate[] = await this.dataSource.query(
      regionalAggregatesSql(scope),
      params,
    );
    return rows.flatMap(
      ({ regionCode, countries, programmes, perPhase, atRisk, offTrack, overdueMilestones }) =>
        regionCode === null
          ? []
          : [{ regionCode, countries, programmes, perPhase, atRisk, offTrack, overdueMilestones }],
    );
  }
}
