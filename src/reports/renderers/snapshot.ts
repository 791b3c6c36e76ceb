import type { Aggregate, ProgrammeRow, WeakIndicator } from '../report-data.query.js';

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
