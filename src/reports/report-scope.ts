import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { READ_RIGHTS } from '../auth/access-policy.js';
import type { Principal, Role } from '../auth/roles.js';
import { invalidField, notFound } from '../common/domain-error.js';
import { ReportFieldErrors } from './report.errors.js';
import type { ReportScope } from './report-data.query.js';

/** "global", "region:AFR" or "countries:FR,KE": how reports of the same scope find each other. */
export function scopeKey(scope: ReportScope): string {
  if (scope.regionCode) return `region:${scope.regionCode}`;
  if (scope.countryCodes) return `countries:${[...scope.countryCodes].sort().join(',')}`;
  return 'global';
}

/** Who may ask for reports and schedule them: a coordinator for their own region only. */
export const REPORT_REQUESTERS = [
  'admin',
  'itu_pm',
  'regional_coordinator',
] as const satisfies Role[];

/** Observers read reports too, with scores only (as the assessments API shows them). */
export const REPORT_READERS = [...REPORT_REQUESTERS, 'observer'] as const satisfies Role[];

/** Indicator-level figures are shown to observers only from this many assessments in a scope. */
export const MIN_ASSESSMENTS_FOR_INDICATOR_DETAIL = 5;

/**
 * Whether a report's reader sees indicator levels, which are assessment answers: observers see
 * scores only (AccessPolicy's read rights), the other readers the levels of any scope they read.
 */
export function readsIndicatorDetail(user: Pick<Principal, 'role'>): boolean {
  return (READ_RIGHTS.assessmentAnswers as readonly Role[]).includes(user.role);
}

/** SQL: the scope in `scopeColumn` lies within the region `region` (an SQL expression). */
function withinRegionSql(scopeColumn: string, region: string): string {
  return `((${region})::text IS NOT NULL AND (${scopeColumn} ->> 'regionCode' = ${region}
      OR (${scopeColumn} ? 'countryCodes' AND NOT EXISTS (
        SELECT 1 FROM jsonb_array_elements_text(${scopeColumn} -> 'countryCodes') AS listed(code)
        JOIN countries c ON c.code = listed.code WHERE c.region_code <> ${region}))))`;
}

/** SQL expressions of a user's columns (or of parameters standing for them). */
export interface UserSql {
  /** NULL when there is no such user. */
  id: string;
  role: string;
  regionCode: string;
  disabled: string;
}

/**
 * SQL: why this user may not (or no longer) report on the scope in `scopeColumn`, or NULL when
 * they may: 'owner_missing', 'owner_disabled' or 'owner_scope_changed' (a role that may not ask
 * for reports, or a coordinator's region that does not hold the scope). The same rule as
 * ReportScopes.authorise, for rows already stored.
 */
export function uncoveredReasonSql(user: UserSql, scopeColumn: string): string {
  const global = REPORT_REQUESTERS.filter((role) => role !== 'regional_coordinator')
    .map((role) => `'${role}'`)
    .join(', ');
  return `CASE
      WHEN ${user.id} IS NULL THEN 'owner_missing'
      WHEN ${user.disabled} THEN 'owner_disabled'
      WHEN ${user.role} IN (${global}) THEN NULL
      WHEN ${user.role} = 'regional_coordinator' AND ${withinRegionSql(scopeColumn, user.regionCode)} THEN NULL
      ELSE 'owner_scope_changed'
    END`;
}

/** Who may report on what, for reports and their schedules alike. */
@Injectable()
export class ReportScopes {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** A coordinator reports on their own region only; the ITU and administrators on anything. */
  async authorise(user: Principal, given: ReportScope): Promise<ReportScope> {
    if (given.regionCode && given.countryCodes) {
      throw invalidField('scope', ReportFieldErrors.region_or_countries);
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
        throw invalidField('scope.countryCodes', ReportFieldErrors.countries_not_tracked, {
          codes: unknown.join(', '),
        });
      const foreign = known.find(
        (country) => user.role === 'regional_coordinator' && country.regionCode !== user.regionCode,
      );
      if (foreign) throw notFound(`Country ${foreign.code}`);
    }
    if (
      scope.regionCode &&
      user.role === 'regional_coordinator' &&
      scope.regionCode !== user.regionCode
    ) {
      throw notFound(`Region ${scope.regionCode}`);
    }
    return scope;
  }

  /**
   * SQL condition on a scope column for what a user may read: everything for the ITU,
   * administrators and observers; a coordinator's own region's.
   */
  visibleTo(user: Principal, params: unknown[], scopeColumn: string): string {
    if (user.role !== 'regional_coordinator') return 'TRUE';
    params.push(user.regionCode);
    return withinRegionSql(scopeColumn, `$${params.length}`);
  }
}
