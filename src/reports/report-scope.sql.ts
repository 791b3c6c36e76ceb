import { ACTION_RIGHTS } from '../auth/access-policy.js';

/**
 * The rules of report-scope.ts as SQL fragments, for the reports repository's statements: which
 * stored scopes a user reads, and whether a schedule's owner or a recipient still covers one.
 */

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

/** Why a user may not (or no longer) report on a scope; see uncoveredReasonSql. */
export type OwnerReason = 'owner_missing' | 'owner_disabled' | 'owner_scope_changed';

/**
 * SQL: why this user may not (or no longer) report on the scope in `scopeColumn`, or NULL when
 * they may: 'owner_missing', 'owner_disabled' or 'owner_scope_changed' (a role that may not ask
 * for reports, or a coordinator's region that does not hold the scope). The same rule as
 * ReportScopes.authorise, for rows already stored.
 */
export function uncoveredReasonSql(user: UserSql, scopeColumn: string): string {
  const global = ACTION_RIGHTS.requestReports
    .filter((role) => role !== 'regional_coordinator')
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

/** The stored report scopes a user reads: every one, those within a region, or none. */
export type ReportVisibility =
  { kind: 'all' } | { kind: 'region'; regionCode: string } | { kind: 'none' };

/**
 * SQL condition on a scope column for what a user may read (see ReportScopes.visibility).
 * Appends its parameters to `params` and refers to them by position.
 */
export function visibleScopeSql(
  visibility: ReportVisibility,
  params: unknown[],
  scopeColumn: string,
): string {
  switch (visibility.kind) {
    case 'all':
      return 'TRUE';
    case 'region':
      params.push(visibility.regionCode);
      return withinRegionSql(scopeColumn, `$${params.length}`);
    case 'none':
      return 'FALSE';
  }
}
