import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Principal } from '../auth/roles.js';
import { NotFoundError, ValidationFailedError } from '../common/domain-error.js';
import type { ReportScope } from './report-data.query.js';

/** "global", "region:AFR" or "countries:FR,KE": how reports of the same scope find each other. */
export function scopeKey(scope: ReportScope): string {
  if (scope.regionCode) return `region:${scope.regionCode}`;
  if (scope.countryCodes) return `countries:${[...scope.countryCodes].sort().join(',')}`;
  return 'global';
}

/** Who may report on what, for reports and their schedules alike. */
@Injectable()
export class ReportScopes {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** A coordinator reports on their own region only; the ITU and administrators on anything. */
  async authorise(user: Principal, given: ReportScope): Promise<ReportScope> {
    if (given.regionCode && given.countryCodes) {
      throw ValidationFailedError.of('scope', 'give regionCode or countryCodes, not both');
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
        throw ValidationFailedError.of('scope.countryCodes', `not tracked: ${unknown.join(', ')}`);
      const foreign = known.find(
        (country) => user.role === 'regional_coordinator' && country.regionCode !== user.regionCode,
      );
      if (foreign) throw new NotFoundError(`Country ${foreign.code}`);
    }
    if (
      scope.regionCode &&
      user.role === 'regional_coordinator' &&
      scope.regionCode !== user.regionCode
    ) {
      throw new NotFoundError(`Region ${scope.regionCode}`);
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
    const region = `$${params.length}`;
    return `(${scopeColumn} ->> 'regionCode' = ${region}
      OR (${scopeColumn} ? 'countryCodes' AND NOT EXISTS (
        SELECT 1 FROM jsonb_array_elements_text(${scopeColumn} -> 'countryCodes') AS listed(code)
        JOIN countries c ON c.code = listed.code WHERE c.region_code <> ${region})))`;
  }
}
