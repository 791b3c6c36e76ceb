import type { Aggregate, ProgrammeRow, WeakIndicator } from '../report-data.query.js';

/**
 * The canonical content of a report, from which every format is rendered: codes, not words, so
 * that it reads the same in every language (its hash is the report's `contentHash`). The
 * renderers write it in the report's language (ReportTexts).
 */
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
