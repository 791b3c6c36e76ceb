/**
 * "In the country's calendar", once, as SQL. Days are counted as the country lives them: the
 * calendar date of an instant in the country's IANA time zone (`countries.timezone`), so that a
 * milestone is overdue, and a programme silent, from the country's midnight and not from UTC's.
 * Plain expressions rather than SQL functions: the planner sees through them, so indexes on the
 * columns they read keep being used. `localDate` (dates.ts) is the same rule for TypeScript.
 */

/** The calendar date of `instant` (a timestamptz expression) in the zone `timezone`. */
export function countryDateSql(instant: string, timezone: string): string {
  return `(${instant} AT TIME ZONE ${timezone})::date`;
}

/** Today in the country: `at` is a timestamptz parameter such as `$1`, the injected clock's now. */
export function countryTodaySql(at: string, timezone: string): string {
  return countryDateSql(`${at}::timestamptz`, timezone);
}

/** Whole days from the country's date of `since` (a timestamptz) to its today at `at`. */
export function countryDaysSinceSql(since: string, at: string, timezone: string): string {
  return `(${countryTodaySql(at, timezone)} - ${countryDateSql(since, timezone)})`;
}
