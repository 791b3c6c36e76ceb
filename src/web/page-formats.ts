import { formatCalendarDate } from '../messages/calendar-date.js';
import type { Locale } from '../messages/locales.js';

/** Whether the runtime knows the IANA time zone (a browser's, sent in a cookie). */
export function isTimeZone(value: unknown): value is string {
  if (typeof value !== 'string' || value.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/** The IANA time zones a form offers, UTC first. */
export const TIME_ZONES: readonly string[] = [
  'UTC',
  ...Intl.supportedValuesOf('timeZone').filter((zone) => zone !== 'UTC'),
];

const cache = new Map<string, PageFormats>();

export interface PageFormats {
  /** A calendar date, YYYY-MM-DD, already the country's (a due date): no zone to apply. */
  date: (value: string) => string;
  /** The day of an instant in the reader's time zone. */
  day: (value: Date | string) => string;
  /** An instant in the reader's time zone, the zone named. */
  dateTime: (value: Date | string) => string;
  number: (value: number) => string;
}

/** Dates, times and numbers as the reader's language writes them, through Intl. */
export function pageFormats(locale: Locale, timeZone: string): PageFormats {
  const id = `${locale}|${timeZone}`;
  let formats = cache.get(id);
  if (!formats) {
    const day = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone });
    const dateTime = new Intl.DateTimeFormat(locale, {
      year: 'numeric',
      month: 'short',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      timeZone,
      timeZoneName: 'short',
    });
    const number = new Intl.NumberFormat(locale);
    formats = {
      date: (value) => formatCalendarDate(locale, value),
      day: (value) => day.format(new Date(value)),
      dateTime: (value) => dateTime.format(new Date(value)),
      number: (value) => number.format(value),
    };
    cache.set(id, formats);
  }
  return formats;
}
