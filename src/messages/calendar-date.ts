import type { Locale } from './locales.js';

const formats = new Map<Locale, Intl.DateTimeFormat>();

/**
 * A calendar date (YYYY-MM-DD), already the country's, as the language writes it: 30 Sept 2026,
 * 30 sept. 2026, 2026年9月30日. No time zone applies to it.
 */
export function formatCalendarDate(locale: Locale, date: string): string {
  let format = formats.get(locale);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' });
    formats.set(locale, format);
  }
  return format.format(new Date(`${date}T00:00:00Z`));
}
