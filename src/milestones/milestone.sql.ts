import { countryTodaySql } from '../common/country-calendar.sql.js';
import { type MilestoneStatus, OPEN_MILESTONE_STATUSES } from './milestone.constants.js';

/**
 * "Open milestone" and "overdue in the country's calendar" (docs/domain.md §1), once, for every
 * query, page and job that asks: SQL fragments over a milestone's columns, and the same rule for
 * TypeScript. Fragments, not SQL functions, so that the programme list's counts keep reading the
 * index `milestones (programme_id, phase) INCLUDE (status, due_date)` alone.
 */

const OPEN_LIST = OPEN_MILESTONE_STATUSES.map((status) => `'${status}'`).join(', ');

/** `<status> IN ('planned', 'in_progress', 'blocked')`; `status` is the column, e.g. `m.status`. */
export function openMilestoneSql(status = 'status'): string {
  return `${status} IN (${OPEN_LIST})`;
}

/**
 * An open milestone whose due date is before today in the country's calendar. `alias` is the
 * milestones table's ('' for none), `timezone` the country's zone column, `at` the instant (a
 * timestamptz parameter such as `$1`).
 */
export function overdueMilestoneSql(alias: string, timezone: string, at: string): string {
  return overdueOnSql(alias, countryTodaySql(at, timezone));
}

/**
 * The same rule with the country's today already worked out (`today`, a date expression), for
 * statements over many milestones that compute each country's today once rather than per row.
 */
export function overdueOnSql(alias: string, today: string): string {
  const column = (name: string) => (alias ? `${alias}.${name}` : name);
  return `(${openMilestoneSql(column('status'))} AND ${column('due_date')} < ${today})`;
}

export function isOpenMilestone(status: MilestoneStatus): boolean {
  return OPEN_MILESTONE_STATUSES.includes(status);
}

/** The TypeScript side of `overdueMilestoneSql`: `today` is the country's date (`localDate`). */
export function isOverdueMilestone(
  milestone: { status: MilestoneStatus; dueDate: string },
  today: string,
): boolean {
  return isOpenMilestone(milestone.status) && milestone.dueDate < today;
}
