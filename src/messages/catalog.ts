import { IntlMessageFormat } from 'intl-messageformat';
import cliAr from './cli/ar.json' with { type: 'json' };
import cliEn from './cli/en.json' with { type: 'json' };
import cliEs from './cli/es.json' with { type: 'json' };
import cliFr from './cli/fr.json' with { type: 'json' };
import cliRu from './cli/ru.json' with { type: 'json' };
import cliZh from './cli/zh.json' with { type: 'json' };
import emailsAr from './emails/ar.json' with { type: 'json' };
import emailsEn from './emails/en.json' with { type: 'json' };
import emailsEs from './emails/es.json' with { type: 'json' };
import emailsFr from './emails/fr.json' with { type: 'json' };
import emailsRu from './emails/ru.json' with { type: 'json' };
import emailsZh from './emails/zh.json' with { type: 'json' };
import errorsAr from './errors/ar.json' with { type: 'json' };
import errorsEn from './errors/en.json' with { type: 'json' };
import errorsEs from './errors/es.json' with { type: 'json' };
import errorsFr from './errors/fr.json' with { type: 'json' };
import errorsRu from './errors/ru.json' with { type: 'json' };
import errorsZh from './errors/zh.json' with { type: 'json' };
import pagesAr from './pages/ar.json' with { type: 'json' };
import pagesEn from './pages/en.json' with { type: 'json' };
import pagesEs from './pages/es.json' with { type: 'json' };
import pagesFr from './pages/fr.json' with { type: 'json' };
import pagesRu from './pages/ru.json' with { type: 'json' };
import pagesZh from './pages/zh.json' with { type: 'json' };
import reportsAr from './reports/ar.json' with { type: 'json' };
import reportsEn from './reports/en.json' with { type: 'json' };
import reportsEs from './reports/es.json' with { type: 'json' };
import reportsFr from './reports/fr.json' with { type: 'json' };
import reportsRu from './reports/ru.json' with { type: 'json' };
import reportsZh from './reports/zh.json' with { type: 'json' };

import type { Locale } from './locales.js';

/**
 * The catalogs, one file per language each: `emails` (reminders, event notices, digests),
 * `pages` (the web pages), `errors` (problem details and field errors, as the API and the
 * pages show them), `reports` (the report files and the e-mails that carry them) and `cli` (the
 * operator's commands). Every message is ICU MessageFormat.
 */
export type CatalogName = 'emails' | 'pages' | 'errors' | 'reports' | 'cli';
type Catalog = Readonly<Record<string, string>>;

const CATALOGS: Record<CatalogName, Record<Locale, Catalog>> = {
  emails: { en: emailsEn, fr: emailsFr, es: emailsEs, ar: emailsAr, ru: emailsRu, zh: emailsZh },
  pages: { en: pagesEn, fr: pagesFr, es: pagesEs, ar: pagesAr, ru: pagesRu, zh: pagesZh },
  errors: { en: errorsEn, fr: errorsFr, es: errorsEs, ar: errorsAr, ru: errorsRu, zh: errorsZh },
  reports: {
    en: reportsEn,
    fr: reportsFr,
    es: reportsEs,
    ar: reportsAr,
    ru: reportsRu,
    zh: reportsZh,
  },
  cli: { en: cliEn, fr: cliFr, es: cliEs, ar: cliAr, ru: cliRu, zh: cliZh },
};

export type MessageValues = Record<string, string | number>;

const compiled = new Map<string, IntlMessageFormat>();

/** Whether a catalog has the key in English (every locale has the same keys: catalog.spec.ts). */
export function hasMessage(catalog: CatalogName, key: string): boolean {
  return Object.hasOwn(CATALOGS[catalog].en, key);
}

/** Every key of a catalog in one locale. */
export function messageKeys(catalog: CatalogName, locale: Locale = 'en'): string[] {
  return Object.keys(CATALOGS[catalog][locale]);
}

/** The source text of a message, for the catalog checks. */
export function messageSource(catalog: CatalogName, locale: Locale, key: string) {
  return CATALOGS[catalog][locale][key];
}

/**
 * A message of a catalog in a locale. A key unknown to the catalog throws: keys are code, and a
 * typo must fail its test rather than reach a reader. The messages are plain text (markup-like
 * text such as "<e-mail>" stays text); whoever puts them into HTML escapes them.
 */
export function formatMessage(
  catalog: CatalogName,
  locale: Locale,
  key: string,
  values: MessageValues = {},
): string {
  const id = `${catalog}:${locale}:${key}`;
  let message = compiled.get(id);
  if (!message) {
    const source = CATALOGS[catalog][locale][key] ?? CATALOGS[catalog].en[key];
    if (source === undefined) throw new Error(`No message ${key} in the ${catalog} catalog`);
    message = new IntlMessageFormat(source, locale, undefined, { ignoreTag: true });
    compiled.set(id, message);
  }
  const result = message.format<string>(values);
  return Array.isArray(result) ? result.join('') : String(result);
}

/** The parameters of an error message, as the code at hand has them. */
export type ErrorParams = Record<string, string | number | boolean | null | undefined>;

/**
 * An error message (problem detail, field error, gate check) in a locale. A parameter the
 * message names and `params` lacks renders empty: a refusal must not turn into a 500.
 */
export function formatError(key: string, params: ErrorParams = {}, locale: Locale = 'en'): string {
  const values = new Proxy(params, {
    has: () => true,
    get: (target, name) => (typeof name === 'string' ? (target[name] ?? '') : undefined),
  });
  return formatMessage('errors', locale, key, values as MessageValues);
}
