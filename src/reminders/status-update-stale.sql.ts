import { countryDaysSinceSql } from '../common/country-calendar.sql.js';

/**
 * "Stale status update" (docs/domain.md §5), once: a programme whose latest status update (or,
 * without one, its creation) is `statusUpdateStale.afterDays` or more days old in the country's
 * calendar, with the rules as configured (REMINDER_RULES), not the defaults. The reminder scan
 * and My queue both ask this, so a programme the queue shows as silent is one the scan reminds.
 * The status update service stamps `programmes.health_updated_at` with each update's time.
 */

/** When the programme was last heard of: its latest status update, else its creation. */
export function lastStatusUpdateSql(programme: string): string {
  return `coalesce(${programme}.health_updated_at, ${programme}.created_at)`;
}

/** Days since then, in the calendar of the country whose zone is `timezone`, at `at`. */
export function daysWithoutStatusUpdateSql(
  programme: string,
  timezone: string,
  at: string,
): string {
  return countryDaysSinceSql(lastStatusUpdateSql(programme), at, timezone);
}

/** True when the programme's status update is stale; `afterDays` is a parameter such as `$2`. */
export function staleStatusUpdateSql(
  programme: string,
  timezone: string,
  at: string,
  afterDays: string,
): string {
  return `${daysWithoutStatusUpdateSql(programme, timezone, at)} >= ${afterDays}`;
}
