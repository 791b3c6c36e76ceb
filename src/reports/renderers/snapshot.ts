import type { PortfolioKpis } from '../../portfolio/dto/portfolio-kpis.dto.js';
import type { Aggregate, ReportProgramme, WeakIndicator } from '../report-data.query.js';
import type { KpiChange } from '../report-kpis.js';

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
  /** Each with its documents' latest versions (kind, title, version, date, SHA-256). */
  programmes: ReportProgramme[];
  regions: Aggregate[];
  overall: Aggregate | null;
  weakestIndicators: WeakIndicator[];
  /**
   * The lifecycle KPIs of the scope at the as-of time, over its whole history (period without
   * bounds): counts per phase, established, medians with how many they were taken over, per
   * region too, the milestone on-time rate, stale updates, overdue milestones by age and phase
   * changes per quarter (docs/domain.md §7). Reports stored before they were added hold none.
   */
  kpis: PortfolioKpis;
  /** True in the copy for readers with scores only, when the scope has too few assessments. */
  indicatorDetailWithheld: boolean;
  /** True in the copy for readers who do not see documents' files: no SHA-256 of a document. */
  documentHashesWithheld: boolean;
  changes: {
    since: string | null;
    items: {
      programmeId: string;
      countryCode: string;
      kind: string;
      from: string | number | null;
      to: string | number | null;
    }[];
    /** The whole scope's lifecycle KPIs that moved; none when the previous report had none. */
    kpis: KpiChange[];
  };
}

/**
 * The copy of a snapshot for readers who see scores only (observers): documents without what
 * identifies their files (SHA-256), as the API shows them, and, when `withholdIndicators`, no
 * indicator levels either.
 */
export function observerCopy(
  snapshot: ReportSnapshot,
  withholdIndicators: boolean,
): ReportSnapshot {
  return {
    ...snapshot,
    programmes: snapshot.programmes.map((programme) => ({
      ...programme,
      documents: programme.documents.map(({ kind, title, version, uploadedAt }) => ({
        kind,
        title,
        version,
        uploadedAt,
      })),
    })),
    documentHashesWithheld: true,
    ...(withholdIndicators ? { weakestIndicators: [], indicatorDetailWithheld: true } : {}),
  };
}

/** Whether a snapshot holds what observers do not see: SHA-256 of documents. */
export function hasDocumentHashes(snapshot: ReportSnapshot): boolean {
  return snapshot.programmes.some((programme) =>
    programme.documents.some((document) => document.sha256 !== undefined),
  );
}

export const PHASE_ORDER = [
  'readiness_assessment',
  'planning',
  'implementation',
  'operation',
  'maintenance',
];
