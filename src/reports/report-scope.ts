import { Injectable } from '@nestjs/common';
import { AccessPolicy, READ_RIGHTS } from '../auth/access-policy.js';
import type { Principal, Role } from '../auth/roles.js';
import { invalidField, notFound } from '../common/domain-error.js';
import { ReportFieldErrors } from './report.errors.js';
import type { ReportScope } from './report-data.query.js';
import type { ReportVisibility } from './report-scope.sql.js';
import { ReportsRepository } from './reports.repository.js';

/** "global", "region:AFR" or "countries:FR,KE": how reports of the same scope find each other. */
export function scopeKey(scope: ReportScope): string {
  if (scope.regionCode) return `region:${scope.regionCode}`;
  if (scope.countryCodes) return `countries:${[...scope.countryCodes].sort().join(',')}`;
  return 'global';
}

/** Indicator-level figures are shown to observers only from this many assessments in a scope. */
export const MIN_ASSESSMENTS_FOR_INDICATOR_DETAIL = 5;

/**
 * Whether a report's reader gets its whole content: indicator levels, which are assessment
 * answers, and documents' SHA-256, which identifies their files. Observers see scores, and
 * documents' kind, title, version and date only (AccessPolicy's read rights): they get the
 * copy without the rest, where the report has one; the other readers, all of any scope they read.
 */
export function readsWholeReport(user: Pick<Principal, 'role'>): boolean {
  return (
    (READ_RIGHTS.assessmentAnswers as readonly Role[]).includes(user.role) &&
    (READ_RIGHTS.documentFiles as readonly Role[]).includes(user.role)
  );
}

/**
 * Who may report on what, for reports and their schedules alike. The reports a user asks for
 * and reads are those of their read scope (AccessPolicy): everything for the ITU,
 * administrators and observers; a coordinator's own region.
 */
@Injectable()
export class ReportScopes {
  constructor(
    private readonly reports: ReportsRepository,
    private readonly policy: AccessPolicy,
  ) {}

  /** A coordinator reports on their own region only; the ITU and administrators on anything. */
  async authorise(user: Principal, given: ReportScope): Promise<ReportScope> {
    if (given.regionCode && given.countryCodes) {
      throw invalidField('scope', ReportFieldErrors.region_or_countries);
    }
    const readScope = this.policy.readScope(user);
    const ownRegion = readScope.kind === 'region' ? readScope.regionCode : null;
    const scope: ReportScope =
      ownRegion && !given.regionCode && !given.countryCodes
        ? { regionCode: ownRegion }
        : { ...given };
    if (scope.countryCodes) {
      const known = await this.reports.countriesByCode(scope.countryCodes);
      const unknown = scope.countryCodes.filter(
        (code) => !known.some((country) => country.code === code),
      );
      if (unknown.length > 0)
        throw invalidField('scope.countryCodes', ReportFieldErrors.countries_not_tracked, {
          codes: unknown.join(', '),
        });
      const foreign = known.find((country) => !this.policy.includes(readScope, country));
      if (foreign) throw notFound(`Country ${foreign.code}`);
    }
    if (scope.regionCode && ownRegion && scope.regionCode !== ownRegion) {
      throw notFound(`Region ${scope.regionCode}`);
    }
    return scope;
  }

  /** The reports (and schedules) a user may read, by their scope; see visibleScopeSql. */
  visibility(user: Principal): ReportVisibility {
    if (!this.policy.mayRead(user, 'reports')) return { kind: 'none' };
    const readScope = this.policy.readScope(user);
    switch (readScope.kind) {
      case 'all':
      case 'region':
        return readScope;
      case 'country':
      case 'none':
        return { kind: 'none' };
    }
  }
}
