import { readFileSync } from 'node:fs';

export const PAGE_LANGUAGES = ['en', 'fr', 'es'] as const;
export type PageLanguage = (typeof PAGE_LANGUAGES)[number];

type Catalog = Record<string, string>;

const catalogs = Object.fromEntries(
  PAGE_LANGUAGES.map((lang) => [
    lang,
    JSON.parse(
      readFileSync(new URL(`./messages/${lang}.json`, import.meta.url), 'utf8'),
    ) as Catalog,
  ]),
) as Record<PageLanguage, Catalog>;

export function isPageLanguage(value: unknown): value is PageLanguage {
  return typeof value === 'string' && (PAGE_LANGUAGES as readonly string[]).includes(value);
}

/** Page texts in one language; a key missing there falls back to English, then to the key. */
export function translator(lang: PageLanguage) {
  return (key: string, values: Record<string, string | number> = {}): string => {
    const text = catalogs[lang][key] ?? catalogs.en[key] ?? key;
    return text.replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? `{${name}}`));
  };
}

export type Translate = ReturnType<typeof translator>;

/** Every catalog has the keys of the English one (checked by the web tests). */
export function missingTranslations(): Record<PageLanguage, string[]> {
  const keys = Object.keys(catalogs.en);
  return Object.fromEntries(
    PAGE_LANGUAGES.map((lang) => [lang, keys.filter((key) => !(key in catalogs[lang]))]),
  ) as Record<PageLanguage, string[]>;
}
