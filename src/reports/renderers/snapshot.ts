import type { Aggregate, ProgrammeRow, WeakIndicator } from '../report-data.query.js';
import { MIN_ASSESSMENTS_FOR_INDICATOR_DETAIL } from '../report-scope.js';

/** The canonical content of a report, from which every format is rendered. */
export interface ReportSnapshot {
  asOf: string;
  scope: { regionCode?: string; countryCodes?: string[] };
  requestedBy: string | null;
  templateVersions: { key: string; version: string }[];
  programmes: ProgrammeRow[];
  regions: Aggregate[];
  overall: Aggregate | null;
  weakestIndicators: WeakIndicator[];
  /** True in the copy for readers with scores only, when the scope has too few assessments. */
  indicatorDetailWithheld: boolean;
  changes: {
    since: string | null;
    items: {
      programmeId: string;
      countryCode: string;
      kind: string;
      from: string | number | null;
      to: string | number | null;
    }[];
  };
}

/** What the files say in place of indicator-level figures that are withheld. */
export const INDICATOR_DETAIL_WITHHELD_NOTE = `Indicator-level figures are withheld: this scope has fewer than ${MIN_ASSESSMENTS_FOR_INDICATOR_DETAIL} validated assessments.`;

/** The copy of a snapshot for readers who see scores only: no indicator levels. */
export function withIndicatorDetailWithheld(snapshot: ReportSnapshot): ReportSnapshot {
  return { ...snapshot, weakestIndicators: [], indicatorDetailWithheld: true };
}

export const PHASE_ORDER = [
  'readiness_assessment',
  'planning',
  'implementation',
  'operation',
  'maintenance',
];

export function scopeLabel(scope: ReportSnapshot['scope']): string {
  if (scope.regionCode) return `Region ${scope.regionCode}`;
  if (scope.countryCodes) return `Countries ${scope.countryCodes.join(', ')}`;
  return 'All tracked countries';
}
