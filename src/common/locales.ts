/** ITU's six official languages, the languages of the product. */
export const LOCALES = ['en', 'fr', 'es', 'ar', 'ru', 'zh'] as const;
export type Locale = (typeof LOCALES)[number];
export type LocalisedNames = Record<Locale, string>;
