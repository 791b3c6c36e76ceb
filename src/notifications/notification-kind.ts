/**
 * The message kind (src/messages) of a notification's stored kind: the reminder or event without
 * its prefix ('reminder.milestone_overdue' is 'milestone_overdue'), the daily digest, a report's.
 */
export function messageKindOf(kind: string): string {
  if (kind === 'event.daily_digest') return 'digest';
  if (kind === 'report.completed') return 'report_completed';
  return kind.replace(/^(reminder|event)\./, '');
}
