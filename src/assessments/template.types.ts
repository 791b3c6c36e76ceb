import type { Locale } from '../messages/locales.js';

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

/**
 * A template's texts in a language other than English, keyed like the template: the scale by
 * level, areas and indicators by key. A text left out reads in English.
 */
export interface TemplateTranslation {
  title?: string;
  description?: string;
  scale?: Record<string, string>;
  scaleMeanings?: Record<string, string>;
  areas?: Record<string, string>;
  indicators?: Record<string, string>;
}

/**
 * A questionnaire as its data file in templates/ describes it. Immutable once published, but for
 * its translations, which a reviewer may correct without a new version: they change no meaning.
 */
export interface AssessmentTemplate {
  key: string;
  version: string;
  kind: AssessmentKind;
  title: string;
  publishedAt: string;
  description?: string;
  scale: Record<string, string>;
  /** What each level of the scale means, in a sentence: guidance shown with its label. */
  scaleMeanings?: Record<string, string>;
  areas: TemplateArea[];
  previous?: { version: string; mapping: IndicatorMapping[] };
  translations?: Partial<Record<Locale, TemplateTranslation>>;
}

/** An indicator's answer as scoring sees it: a level 0..4, or null for "not applicable". */
export type Answers = Map<string, number | null>;
