import { CronExpressionParser } from 'cron-parser';

/** A report schedule fires at most once an hour. */
export const MIN_SCHEDULE_GAP_SECONDS = 3_600;

/**
 * The firings compared: up to 50, or those of the next year if it has fewer (a yearly pattern
 * costs a few milliseconds a firing to compute). A five-field pattern with more than one minute
 * fires twice in the first hour it fires at all (`* 9 1 1 *` 60 times on 1 January only), so
 * its first two firings tell; the others cover the clock changes of the zone.
 */
const FIRINGS_CHECKED = 50;
const HORIZON_MS = 366 * 86_400_000;

/**
 * Whether the pattern, read in the time zone, fires twice less than an hour apart. Computed from
 * its firings, so every form (steps, lists, ranges, names) and the zone's clock changes count.
 */
export function firesMoreOftenThanHourly(cron: string, timezone: string, from: Date): boolean {
  const runs = CronExpressionParser.parse(cron, { tz: timezone, currentDate: from });
  let previous = runs.next().getTime();
  for (let i = 1; i < FIRINGS_CHECKED && runs.hasNext(); i += 1) {
    const next = runs.next().getTime();
    if (next - previous < MIN_SCHEDULE_GAP_SECONDS * 1_000) return true;
    if (next - from.getTime() > HORIZON_MS) return false;
    previous = next;
  }
  return false;
}
