import { IntlMessageFormat } from 'intl-messageformat';
import { type CatalogName, formatError, messageKeys, messageSource } from './catalog.js';
import { LOCALES, negotiateLocale, resolveLocale } from './locales.js';

const CATALOG_NAMES: CatalogName[] = ['emails', 'pages', 'errors', 'reports', 'cli'];

/** The names of the arguments a message uses, plural and select branches included. */
function argumentNames(source: string, locale: string): string[] {
  const names = new Set<string>();
  const walk = (elements: unknown[]): void => {
    for (const element of elements as { type: number; value?: string; options?: object }[]) {
      // 0 is literal text and 7 the plural's `#`; every other element names an argument.
      if (element.type !== 0 && element.type !== 7 && element.value) names.add(element.value);
      for (const option of Object.values(element.options ?? {}) as { value: unknown[] }[]) {
        walk(option.value);
      }
    }
  };
  walk(new IntlMessageFormat(source, locale, undefined, { ignoreTag: true }).getAst());
  return [...names].sort();
}

describe('the message catalogs', () => {
  for (const catalog of CATALOG_NAMES) {
    for (const locale of LOCALES) {
      it(`should give ${catalog}/${locale}.json the keys and arguments of ${catalog}/en.json, each message valid ICU`, () => {
        const english = messageKeys(catalog, 'en');
        const keys = messageKeys(catalog, locale);
        expect({ missing: english.filter((key) => !keys.includes(key)) }).toEqual({ missing: [] });
        expect({ extra: keys.filter((key) => !english.includes(key)) }).toEqual({ extra: [] });
        const differing = english.filter((key) => {
          const source = messageSource(catalog, locale, key);
          return (
            source.trim() === '' ||
            argumentNames(source, locale).join() !==
              argumentNames(messageSource(catalog, 'en', key), 'en').join()
          );
        });
        expect({ differing }).toEqual({ differing: [] });
      });
    }
  }

  it('should take the base language of a tag, and English for a language we lack', () => {
    expect(resolveLocale('fr-CA')).toBe('fr');
    expect(resolveLocale('zh_Hans')).toBe('zh');
    expect(resolveLocale('de')).toBe('en');
    expect(resolveLocale(undefined)).toBe('en');
  });

  it('should pick the supported language of highest weight from Accept-Language', () => {
    expect(negotiateLocale('de-DE,de;q=0.9,ar;q=0.8,fr;q=0.7')).toBe('ar');
    expect(negotiateLocale('fr;q=0.5, ru')).toBe('ru');
    expect(negotiateLocale('es-419')).toBe('es');
    expect(negotiateLocale('de, *;q=0.1')).toBe('en');
    expect(negotiateLocale('ar;q=0')).toBe('en');
    expect(negotiateLocale(undefined)).toBe('en');
  });

  it('should render an error message in each language, a missing parameter as empty', () => {
    const english = formatError('not_found', { what: 'Programme 7' });
    expect(english).toContain('Programme 7');
    for (const locale of LOCALES.filter((l) => l !== 'en')) {
      const translated = formatError('not_found', { what: 'Programme 7' }, locale);
      expect(translated).toContain('Programme 7');
      expect(translated).not.toBe(english);
    }
    expect(formatError('not_found')).not.toContain('{');
  });
});
