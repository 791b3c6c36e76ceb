import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AccessPolicy, type CountryScope } from '../auth/access-policy.js';
import { type Page, paginate } from '../common/pagination.js';
import type { Locale } from '../messages/locales.js';
import type { CirtType, ProgrammeStatus } from '../programmes/programme.constants.js';
import { CAMPAIGN_COLUMNS, type CampaignRow } from './campaigns.repository.js';
import type {
  CampaignLaggard,
  CampaignListQuery,
  CampaignProgress,
  CampaignSummary,
  RegionProgress,
} from './dto/campaign.dto.js';

/** A programme of a launch's scope, with what decides whether it gets a draft. */
export interface ScopeProgramme {
  programmeId: string;
  programmeTitle: string | null;
  countryCode: string;
  countryName: string;
  regionCode: string;
  status: ProgrammeStatus;
  hasOpenAssessment: boolean;
}

/** The campaign's drafts joined to their programmes' countries, which scopes are written against. */
const DRAFTS = `assessments a JOIN programmes p ON p.id = a.programme_id JOIN countries c ON c.code = p.country_code`;

/** The count of each status of the drafts `DRAFTS` selects. */
const PROGRESS_COLUMNS = `count(*) FILTER (WHERE a.status = 'draft')::int AS draft,
  count(*) FILTER (WHERE a.status = 'submitted')::int AS submitted,
  count(*) FILTER (WHERE a.status = 'returned')::int AS returned,
  count(*) FILTER (WHERE a.status = 'validated')::int AS validated,
  count(*)::int AS total`;

/**
 * What the campaigns read across programmes, countries and assessments: a launch's scope, the
 * campaigns a user may see, their progress per region and their laggards. Reads only. A
 * coordinator sees the campaigns that reach their region, and only their region's part of them.
 */
@Injectable()
export class CampaignsQuery {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly policy: AccessPolicy,
  ) {}

  /** The tracked countries among `codes`, with their regions. */
  countries(codes: string[]): Promise<{ code: string; regionCode: string }[]> {
    return this.dataSource.query(
      `SELECT code, region_code AS "regionCode" FROM countries WHERE code = ANY($1)`,
      [codes],
    );
  }

  /**
   * Every programme of the scope (a region, countries, or all) and of the kind of CIRT asked
   * for, whatever its status, with whether it has an open assessment of the template: the
   * statuses the unique index `assessments_one_open_key` allows one of.
   */
  scopeProgrammes(
    scope: { regionCode: string | null; countryCodes: string[] | null; cirtType: CirtType | null },
    templateKey: string,
    lang: Locale,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<ScopeProgramme[]> {
    return manager.query(
      `SELECT p.id AS "programmeId", p.title AS "programmeTitle", p.country_code AS "countryCode",
              coalesce(c.names ->> $5, c.names ->> 'en') AS "countryName",
              c.region_code AS "regionCode", p.status,
              EXISTS (SELECT 1 FROM assessments a WHERE a.programme_id = p.id AND a.template_key = $4
                        AND a.status IN ('draft', 'submitted', 'returned')) AS "hasOpenAssessment"
       FROM programmes p JOIN countries c ON c.code = p.country_code
       WHERE ($1::text IS NULL OR c.region_code = $1) AND ($2::text[] IS NULL OR p.country_code = ANY($2))
         AND ($3::text IS NULL OR p.cirt_type = $3)
       ORDER BY c.region_code, p.country_code, p.created_at, p.id`,
      [scope.regionCode, scope.countryCodes, scope.cirtType, templateKey, lang],
    );
  }

  /** The campaigns the user may see, newest first, each with its progress in their scope. */
  list(user: CampaignReader, query: CampaignListQuery): Promise<Page<CampaignSummary>> {
    const params: unknown[] = [];
    const scope = this.scopeOf(user);
    return paginate<CampaignSummary>(
      this.dataSource,
      query,
      {
        rows: `SELECT ${CAMPAIGN_COLUMNS} FROM assessment_campaigns k WHERE ${this.visible(scope, params)}`,
        orderBy: `"createdAt" DESC, id`,
        select: `page.*, to_jsonb(progress) AS progress`,
        join: `CROSS JOIN LATERAL (
          SELECT ${PROGRESS_COLUMNS} FROM ${DRAFTS}
          WHERE a.campaign_id = page.id AND ${this.policy.scopeSql(scope, { country: 'p.country_code', region: 'c.region_code' }, params)}
        ) progress`,
      },
      params,
    );
  }

  /** The campaign if the user may see it; undefined otherwise, as if there were none. */
  async find(user: CampaignReader, id: string): Promise<CampaignRow | undefined> {
    const params: unknown[] = [id];
    const [row] = await this.dataSource.query(
      `SELECT ${CAMPAIGN_COLUMNS} FROM assessment_campaigns k
       WHERE k.id = $1 AND ${this.visible(this.scopeOf(user), params)}`,
      params,
    );
    return row;
  }

  /** The campaign's drafts by status: overall, and per region, in one statement. */
  async progress(
    user: CampaignReader,
    id: string,
  ): Promise<{ overall: CampaignProgress; regions: RegionProgress[] }> {
    const params: unknown[] = [id];
    const rows: (RegionProgress & { overall: boolean })[] = await this.dataSource.query(
      `SELECT c.region_code AS "regionCode", GROUPING(c.region_code) = 1 AS overall, ${PROGRESS_COLUMNS}
       FROM ${DRAFTS}
       WHERE a.campaign_id = $1 AND ${this.policy.scopeSql(this.scopeOf(user), { country: 'p.country_code', region: 'c.region_code' }, params)}
       GROUP BY ROLLUP (c.region_code)
       ORDER BY GROUPING(c.region_code), c.region_code`,
      params,
    );
    const count = ({ draft, submitted, returned, validated, total }: CampaignProgress) => ({
      draft,
      submitted,
      returned,
      validated,
      total,
    });
    const overall = rows.find((row) => row.overall);
    return {
      overall: overall
        ? count(overall)
        : { draft: 0, submitted: 0, returned: 0, validated: 0, total: 0 },
      regions: rows
        .filter((row) => !row.overall)
        .map((row) => ({ regionCode: row.regionCode, ...count(row) })),
    };
  }

  /** The drafts not yet submitted (draft, or returned for changes), by region and country. */
  laggards(user: CampaignReader, id: string, lang: Locale): Promise<CampaignLaggard[]> {
    const params: unknown[] = [id, lang];
    return this.dataSource.query(
      `SELECT a.id AS "assessmentId", p.id AS "programmeId", p.title AS "programmeTitle",
              p.country_code AS "countryCode",
              coalesce(c.names ->> $2, c.names ->> 'en') AS "countryName", c.region_code AS "regionCode",
              a.status
       FROM ${DRAFTS}
       WHERE a.campaign_id = $1 AND a.status IN ('draft', 'returned')
         AND ${this.policy.scopeSql(this.scopeOf(user), { country: 'p.country_code', region: 'c.region_code' }, params)}
       ORDER BY c.region_code, p.country_code, a.id`,
      params,
    );
  }

  private scopeOf(user: CampaignReader): CountryScope {
    return this.policy.readScope(user);
  }

  /** Campaigns with at least one draft in the scope: those that reach it. */
  private visible(scope: CountryScope, params: unknown[]): string {
    if (scope.kind === 'all') return 'TRUE';
    return `EXISTS (SELECT 1 FROM ${DRAFTS} WHERE a.campaign_id = k.id
      AND ${this.policy.scopeSql(scope, { country: 'p.country_code', region: 'c.region_code' }, params)})`;
  }
}

type CampaignReader = Parameters<AccessPolicy['readScope']>[0];
