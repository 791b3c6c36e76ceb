import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { countryDaysSinceSql, countryTodaySql } from '../common/country-calendar.sql.js';
import { DOCUMENT_KINDS, type DocumentKind } from '../documents/document.constants.js';
import { openMilestoneSql, overdueMilestoneSql } from '../milestones/milestone.sql.js';
import type { ScopeCondition } from '../portfolio/lifecycle-kpis.query.js';
import {
  type RegionalAggregate,
  regionalAggregatesSql,
} from '../programmes/regional-aggregates.sql.js';
import type { CountryNames } from './report-texts.js';

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

/**
 * A programme's document as a report lists it: the facts of its latest version, never its file.
 * `title` is null for the programme's document of its kind (the files name it by its kind);
 * `sha256` is left out of the copy for readers who do not see documents' files (observers).
 */
export interface ReportDocument {
  kind: DocumentKind;
  title: string | null;
  version: number;
  /** ISO 8601, UTC. */
  uploadedAt: string;
  sha256?: string;
}

/** A programme of a report: its row, and its documents (deliverables) in phase order. */
export interface ReportProgramme extends ProgrammeRow {
  documents: ReportDocument[];
}

/** regionCode is null for the whole scope. */
export type Aggregate = RegionalAggregate;

export interface WeakIndicator {
  indicatorKey: string;
  meanLevel: number;
  assessments: number;
}

/** The latest validated readiness assessment of each programme of the scope (`where` on p, c). */
const LATEST_READINESS = (where: string) => `
  SELECT DISTINCT ON (a.programme_id) a.id FROM assessments a
  JOIN programmes p ON p.id = a.programme_id JOIN countries c ON c.code = p.country_code
  WHERE a.kind = 'readiness' AND a.status = 'validated' AND p.status <> 'cancelled' AND ${where}
  ORDER BY a.programme_id, a.validated_at DESC`;

/**
 * What a report reads, as a handful of SQL statements over the whole scope: one row per
 * programme, one per region plus the total, the weakest indicators, and the latest version of
 * each programme's documents. No query per country or programme. Cancelled programmes are left
 * out.
 */
@Injectable()
export class ReportDataQuery {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  programmes(scope: ReportScope, asOf: Date): Promise<ProgrammeRow[]> {
    const { where, params } = this.scopeFilter(scope, [asOf]);
    return this.dataSource.query(
      `SELECT p.country_code AS "countryCode", c.names ->> 'en' AS "countryName", c.region_code AS "regionCode",
              p.id AS "programmeId", p.title, p.cirt_type AS "cirtType", p.sector, p.phase, p.status,
              ${countryDaysSinceSql('p.phase_entered_at', '$1', 'c.timezone')} AS "daysInPhase",
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
                count(*) FILTER (WHERE ${overdueMilestoneSql('', 'c.timezone', '$1')})::int AS overdue
         FROM milestones WHERE programme_id = p.id
       ) m ON true
       LEFT JOIN LATERAL (
         SELECT title, due_date FROM milestones
         WHERE programme_id = p.id AND ${openMilestoneSql()} AND due_date >= ${countryTodaySql('$1', 'c.timezone')}
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

  /**
   * The latest version of every document of these programmes, in one statement: by programme,
   * then kind (in phase order) and title, the kind's own document first. Reads the documents
   * module's tables (this read model never writes them), and nothing of the files but their hash.
   */
  documents(programmeIds: string[]): Promise<(ReportDocument & { programmeId: string })[]> {
    return this.dataSource.query(
      `SELECT latest."programmeId", latest.kind, latest.title, latest.version, latest."uploadedAt", latest.sha256
       FROM (
         SELECT DISTINCT ON (d.id) d.programme_id AS "programmeId", d.kind, d.title, v.version,
                to_char(v.uploaded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "uploadedAt",
                v.sha256
         FROM documents d JOIN document_versions v ON v.document_id = d.id
         WHERE d.programme_id = ANY($1::uuid[])
         ORDER BY d.id, v.version DESC
       ) latest
       ORDER BY latest."programmeId", array_position($2::text[], latest.kind), latest.title NULLS FIRST`,
      [programmeIds, DOCUMENT_KINDS],
    );
  }

  /** One row per region of the scope, and a last one (regionCode null) for the whole scope. */
  async aggregates(scope: ReportScope, asOf: Date): Promise<Aggregate[]> {
    const { where, params } = this.scopeFilter(scope, [asOf]);
    return this.dataSource.query(regionalAggregatesSql(where), params);
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

  /** The names of these countries in every language, for the files of a report. */
  async countryNames(codes: string[]): Promise<CountryNames> {
    const rows: { code: string; names: Record<string, string> }[] = await this.dataSource.query(
      'SELECT code, names FROM countries WHERE code = ANY($1)',
      [codes],
    );
    return new Map(rows.map((row) => [row.code, row.names]));
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

  /** The report's scope as the lifecycle KPIs take it: the same rule as every query here. */
  scopeCondition(scope: ReportScope): ScopeCondition {
    return (params) => this.scopeFilter(scope, params).where;
  }

  private scopeFilter(scope: ReportScope, params: unknown[]): { where: string; params: unknown[] } {
    if (scope.regionCode)
      return { where: `c.region_code = $${params.push(scope.regionCode)}`, params };
    if (scope.countryCodes)
      return { where: `c.code = ANY($${params.push(scope.countryCodes)})`, params };
    return { where: 'TRUE', params };
  }
}
