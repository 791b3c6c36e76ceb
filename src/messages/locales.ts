/** ITU's six official languages, the languages of the product. */
export const LOCALES = ['en', 'fr', 'es', 'ar', 'ru', 'zh'] as const;
export type Locale = (typeof LOCALES)[number];
export type LocalisedNames = Record<Locale, string>;

/**
 * A text and the language it is in: the reader's, or English where content lacks a translation;
 * null for what a person wrote, in whatever language they wrote it.
 */
export interface Text {
  text: string;
  lang: Locale | null;
}

/** Each language's own name, as a language list shows it. */
export const LOCALE_NAMES: Record<Locale, string> = {
  en: 'English',
  fr: 'Français',
  es: 'Español',
  ar: 'العربية',
  ru: 'Русский',
  zh: '中文',
};

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/** The locale of a language tag: its base language ('fr-CA', 'zh_Hans'), else English. */
export function resolveLocale(tag: string | null | undefined): Locale {
  const base = (tag ?? '').trim().toLowerCase().split(/[-_]/)[0];
  return isLocale(base) ? base : 'en';
}

/**
 * The best of our locales for an Accept-Language header: the supported language of highest
 * weight (ties keep the header's order), else English.
 */
export function negotiateLocale(acceptLanguage: string | null | undefined): Locale {
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .map((part, index) => {
      const [tag, ...parameters] = part.trim().split(';');
      const q = parameters.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find(Boolean);
      return { base: tag.trim().toLowerCase().split(/[-_]/)[0], weight: q ? Number(q) : 1, index };
    })
    .filter(({ base, weight }) => isLocale(base) && weight > 0)
    .sort((a, b) => b.weight - a.weight || a.index - b.index);
  return ranked.length > 0 ? (ranked[0].base as Locale) : 'en';
}

/** Arabic is written right to left; the other five left to right. */
export function textDirection(locale: Locale): 'rtl' | 'ltr' {
  return locale === 'ar' ? 'rtl' : 'ltr';
}
