import type { Answers, AssessmentTemplate } from './template.types.js';

export const BANDS = ['not_ready', 'emerging', 'conditionally_ready', 'ready'] as const;
export type Band = (typeof BANDS)[number];

export interface AreaScore {
  key: string;
  title: string;
  /** null when no indicator of the area was answered with a level. */
  score: number | null;
}

export interface Gap {
  indicatorKey: string;
  title: string;
  level: number;
  critical: boolean;
}

export interface Score {
  overall: number | null;
  band: Band | null;
  /** A critical indicator below level 3 held the band at conditionally ready. */
  capped: boolean;
  areas: AreaScore[];
  gaps: Gap[];
}

const MAX_LEVEL = 4;
const round = (value: number) => Math.round(value * 10) / 10;

function bandOf(score: number): Band {
  if (score < 25) return 'not_ready';
  if (score < 50) return 'emerging';
  if (score < 75) return 'conditionally_ready';
  return 'ready';
}

/**
 * docs/domain.md §2: an area scores the mean level of its answered indicators over 4, as a percentage;
 * the overall score is the weighted mean of the areas that have one. N/A answers count nowhere.
 * A critical indicator below 3 caps the band at conditionally ready. Gaps are the indicators below
 * 3, critical first, then by the weight of their area, then in questionnaire order.
 */
export function scoreAssessment(template: AssessmentTemplate, answers: Answers): Score {
  const areas: AreaScore[] = [];
  const gaps: (Gap & { weight: number; order: number })[] = [];
  let weighted = 0;
  let weights = 0;
  let capped = false;
  let order = 0;

  for (const area of template.areas) {
    const levels: number[] = [];
    for (const indicator of area.indicators) {
      order += 1;
      const level = answers.get(indicator.key);
      if (level === undefined || level === null) continue;
      levels.push(level);
      if (level < 3) {
        gaps.push({
          indicatorKey: indicator.key,
          title: indicator.title,
          level,
          critical: indicator.critical,
          weight: area.weight,
          order,
        });
        if (indicator.critical) capped = true;
      }
    }
    const score = levels.length
      ? (levels.reduce((sum, level) => sum + level, 0) / levels.length / MAX_LEVEL) * 100
      : null;
    areas.push({ key: area.key, title: area.title, score: score === null ? null : round(score) });
    if (score !== null) {
      weighted += score * area.weight;
      weights += area.weight;
    }
  }

  const overall = weights > 0 ? round(weighted / weights) : null;
  let band = overall === null ? null : bandOf(overall);
  const capApplies = capped && band === 'ready';
  if (capApplies) band = 'conditionally_ready';
  gaps.sort(
    (a, b) => Number(b.critical) - Number(a.critical) || b.weight - a.weight || a.order - b.order,
  );
  return {
    overall,
    band,
    capped: capApplies,
    areas,
    gaps: gaps.map(({ weight: _weight, order: _order, ...gap }) => gap),
  };
}

/**
 * Carries answers given to the previous version of a template over to this version through its
 * mapping: a split indicator passes its level to each part, merged ones pass their mean, retired
 * ones are dropped, and indicators new in this version stay unanswered.
 */
export function carryAnswersForward(template: AssessmentTemplate, previous: Answers): Answers {
  const carried: Answers = new Map();
  for (const entry of template.previous?.mapping ?? []) {
    if (entry.type === 'retired') continue;
    const given = entry.from.filter((key) => previous.has(key)).map((key) => previous.get(key)!);
    if (given.length === 0) continue;
    const levels = given.filter((level): level is number => level !== null);
    const value = levels.length
      ? levels.reduce((sum, level) => sum + level, 0) / levels.length
      : null;
    for (const key of entry.to) carried.set(key, value);
  }
  return carried;
}
