import type { Locale, Text } from '../messages/locales.js';
import type { Phase } from '../programmes/programme.constants.js';
import type { DocumentKind } from '../documents/document.constants.js';
import defaultPlan from './default-plan.json' with { type: 'json' };

/** An item of the default plan (docs/domain.md), with its title in each language. */
export interface PlanItem {
  key: string;
  title: string;
  titles: Partial<Record<Locale, string>>;
  offsetDays: number;
  /** The document kind this milestone delivers, where it is a deliverable. */
  deliverable?: DocumentKind;
}

export const PLAN = defaultPlan as Record<Phase, PlanItem[]>;

const PLAN_ITEMS = new Map(
  Object.values(PLAN).flatMap((items) => items.map((item) => [item.key, item])),
);

/**
 * A milestone's title for a reader: a default plan item's title in the reader's language while
 * it keeps the plan's English title; the title as written once someone has changed it.
 */
export function milestoneTitle(
  milestone: { title: string; planKey: string | null },
  locale: Locale,
): Text {
  const item = milestone.planKey ? PLAN_ITEMS.get(milestone.planKey) : undefined;
  if (!item || item.title !== milestone.title) return { text: milestone.title, lang: null };
  const translated = locale === 'en' ? undefined : item.titles[locale];
  return translated ? { text: translated, lang: locale } : { text: item.title, lang: 'en' };
}

/** The document kind a milestone of the default plan delivers; null for any other. */
export function milestoneDeliverable(planKey: string | null): DocumentKind | null {
  return (planKey && PLAN_ITEMS.get(planKey)?.deliverable) || null;
}
