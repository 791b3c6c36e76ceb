import type { Locale, Text } from '../messages/locales.js';
import type { AssessmentTemplate } from './template.types.js';

export interface TemplateTexts {
  title: Text;
  description: Text | null;
  /** Each level's label, and the sentence saying what it means where the template has one. */
  scale: { level: string; label: Text; meaning: Text | null }[];
  areas: {
    key: string;
    title: Text;
    indicators: { key: string; critical: boolean; title: Text }[];
  }[];
}

/** A template's texts in the locale, each falling back to English on its own. */
export function templateTexts(template: AssessmentTemplate, locale: Locale): TemplateTexts {
  const translation = locale === 'en' ? undefined : template.translations?.[locale];
  const text = (translated: string | undefined, english: string): Text =>
    translated ? { text: translated, lang: locale } : { text: english, lang: 'en' };
  return {
    title: text(translation?.title, template.title),
    description: template.description ? text(translation?.description, template.description) : null,
    scale: Object.entries(template.scale).map(([level, label]) => ({
      level,
      label: text(translation?.scale?.[level], label),
      meaning: template.scaleMeanings?.[level]
        ? text(translation?.scaleMeanings?.[level], template.scaleMeanings[level])
        : null,
    })),
    areas: template.areas.map((area) => ({
      key: area.key,
      title: text(translation?.areas?.[area.key], area.title),
      indicators: area.indicators.map((indicator) => ({
        key: indicator.key,
        critical: indicator.critical,
        title: text(translation?.indicators?.[indicator.key], indicator.title),
      })),
    })),
  };
}
