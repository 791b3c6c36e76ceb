import { IntlMessageFormat } from 'intl-messageformat';
import en from './en.json' with { type: 'json' };

/**
 * The messages of API errors: problem details and field errors, ICU MessageFormat keyed by the
 * catalog's message keys. English only for now; the other five languages add a file each.
 */
export type ErrorLocale = 'en';
export type MessageParams = Record<string, string | number | boolean | null | undefined>;

const CATALOGS: Record<ErrorLocale, Record<string, string>> = { en };

const compiled = new Map<string, IntlMessageFormat>();

function compile(key: string, locale: ErrorLocale): IntlMessageFormat {
  const id = `${locale}\u0000${key}`;
  let format = compiled.get(id);
  if (!format) {
    const source = CATALOGS[locale][key] ?? CATALOGS.en[key];
    if (source === undefined) throw new Error(`No error message for ${key}`);
    // ignoreTag: the messages are plain text, and "<" in a parameter is no markup.
    format = new IntlMessageFormat(source, locale, undefined, { ignoreTag: true });
    compiled.set(id, format);
  }
  return format;
}

/**
 * The message for a catalog key in the locale (English where the locale lacks it). A parameter
 * the message names and `params` lacks renders empty: a refusal must not turn into a 500.
 */
export function formatError(key: string, params: MessageParams = {}, locale: ErrorLocale = 'en') {
  const values = new Proxy(params, {
    has: () => true,
    get: (target, name) => (typeof name === 'string' ? (target[name] ?? '') : undefined),
  });
  return String(compile(key, locale).format(values as Record<string, string | number | boolean>));
}

/** Whether the locale's catalog has a message for the key. */
export function hasErrorMessage(key: string, locale: ErrorLocale = 'en'): boolean {
  return Object.hasOwn(CATALOGS[locale], key);
}

/** Every key of the locale's catalog. */
export function errorMessageKeys(locale: ErrorLocale = 'en'): string[] {
  return Object.keys(CATALOGS[locale]);
}
