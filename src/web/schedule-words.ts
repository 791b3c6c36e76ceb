/**
 * A report schedule in words, as the schedules page asks for it and shows it, and the API's
 * five-field cron pattern it stands for. The form posts words (every Monday at 07:00); the API
 * keeps a cron pattern (`0 7 * * 1`). A pattern made through the API that no words say (every two
 * hours, weekdays only) has no words: the page shows the pattern itself.
 */

export const FREQUENCIES = ['daily', 'weekly', 'monthly'] as const;
export type Frequency = (typeof FREQUENCIES)[number];

/** The days of the week as cron numbers them (0 is Sunday), in the order the form lists them. */
export const WEEKDAYS = [1, 2, 3, 4, 5, 6, 0] as const;
/** A weekday's key in the catalog's `weekday` select, by its cron number. */
export const WEEKDAY_KEYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

/** The days of the month a monthly schedule may fire on: those every month has. */
export const LAST_DAY_OF_MONTH = 28;

export interface ScheduleWords {
  frequency: Frequency;
  hour: number;
  minute: number;
  /** Of a weekly schedule: 0 (Sunday) to 6. */
  weekday?: number;
  /** Of a monthly schedule: 1 to 28. */
  dayOfMonth?: number;
}

/** What the form posts: text, or anything a client sends instead. */
export interface PostedWords {
  frequency?: unknown;
  weekday?: unknown;
  dayOfMonth?: unknown;
  hour?: unknown;
}

/** A whole number in [min, max] written as the form writes it (digits only), else undefined. */
function whole(value: unknown, min: number, max: number): number | undefined {
  if (typeof value !== 'string' || !/^\d{1,2}$/.test(value)) return undefined;
  const number = Number(value);
  return number >= min && number <= max ? number : undefined;
}

/**
 * The cron pattern of the posted words, or null when they say no schedule. Every field posted
 * must be valid, even one the frequency does not use (the form always posts them all), so that a
 * wrong value is refused rather than quietly ignored.
 */
export function cronOf(posted: PostedWords): string | null {
  const frequency = FREQUENCIES.find((candidate) => candidate === posted.frequency);
  const hour = whole(posted.hour, 0, 23);
  const weekday = whole(posted.weekday, 0, 6);
  const dayOfMonth = whole(posted.dayOfMonth, 1, LAST_DAY_OF_MONTH);
  if (!frequency || hour === undefined) return null;
  if (posted.weekday !== undefined && weekday === undefined) return null;
  if (posted.dayOfMonth !== undefined && dayOfMonth === undefined) return null;
  switch (frequency) {
    case 'daily':
      return `0 ${hour} * * *`;
    case 'weekly':
      return weekday === undefined ? null : `0 ${hour} * * ${weekday}`;
    case 'monthly':
      return dayOfMonth === undefined ? null : `0 ${hour} ${dayOfMonth} * *`;
  }
}

/** A cron field that is one plain number in [min, max], else undefined. */
function single(field: string, min: number, max: number): number | undefined {
  if (!/^\d{1,2}$/.test(field)) return undefined;
  const number = Number(field);
  return number >= min && number <= max ? number : undefined;
}

/**
 * The words of a cron pattern that fires once a day, once a week or once a month at one time,
 * or null for any other pattern. Sunday may be written 0 or 7; day 29 to 31 of the month is said
 * as it is (the API takes it, though the form offers days every month has).
 */
export function wordsOf(cron: string): ScheduleWords | null {
  const fields = cron.trim().split(/\s+/);
  if (fields.length !== 5) return null;
  const [minuteField, hourField, dayField, monthField, weekdayField] = fields;
  const minute = single(minuteField, 0, 59);
  const hour = single(hourField, 0, 23);
  if (minute === undefined || hour === undefined || monthField !== '*') return null;
  if (dayField === '*' && weekdayField === '*') return { frequency: 'daily', hour, minute };
  if (dayField === '*') {
    const weekday = single(weekdayField, 0, 7);
    return weekday === undefined
      ? null
      : { frequency: 'weekly', hour, minute, weekday: weekday % 7 };
  }
  if (weekdayField === '*') {
    const dayOfMonth = single(dayField, 1, 31);
    return dayOfMonth === undefined ? null : { frequency: 'monthly', hour, minute, dayOfMonth };
  }
  return null;
}

/** A time of day as the page shows it: 07:00. */
export function clockTime(hour: number, minute = 0): string {
  return `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
}

/**
 * A schedule in the reader's language: the catalog key of its words and their values, or null
 * when the pattern has none (the page shows the pattern).
 */
export function scheduleMessage(
  cron: string,
): { key: string; values: Record<string, string | number> } | null {
  const words = wordsOf(cron);
  if (!words) return null;
  const time = clockTime(words.hour, words.minute);
  switch (words.frequency) {
    case 'daily':
      return { key: 'schedules.daily', values: { time } };
    case 'weekly':
      return { key: 'schedules.weekly', values: { day: WEEKDAY_KEYS[words.weekday!], time } };
    case 'monthly':
      return { key: 'schedules.monthly', values: { day: words.dayOfMonth!, time } };
  }
}
