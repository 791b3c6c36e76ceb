export const ASSESSMENT_KINDS = ['readiness', 'maturity'] as const;
export type AssessmentKind = (typeof ASSESSMENT_KINDS)[number];

export interface TemplateIndicator {
  key: string;
  title: string;
  critical: boolean;
}

export interface TemplateArea {
  key: string;
  title: string;
  weight: number;
  indicators: TemplateIndicator[];
}

/**
 * How indicators of the previous version became this version's: `same` (perhaps renamed),
 * `split` (one became several), `merged` (several became one), `retired` (gone).
 */
export interface IndicatorMapping {
  type: 'same' | 'split' | 'merged' | 'retired';
  from: string[];
  to: string[];
}

/** A questionnaire as its data file in templates/ describes it. Immutable once published. */
export interface AssessmentTemplate {
  key: string;
  version: string;
  kind: AssessmentKind;
  title: string;
  publishedAt: string;
  description?: string;
  scale: Record<string, string>;
  areas: TemplateArea[];
  previous?: { version: string; mapping: IndicatorMapping[] };
}

/** An indicator's answer as scoring sees it: a level 0..4, or null for "not applicable". */
export type Answers = Map<string, number | null>;
