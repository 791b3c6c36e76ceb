import type { MessageKind } from '../messages/message-renderer.js';

/** The reminder ladders' rules (docs/domain.md §5), and `test`, the message an operator sends to try a channel. */
export const REMINDER_KINDS = [
  'milestone_due_soon',
  'milestone_overdue',
  'transition_waiting',
  'status_update_stale',
  'assessment_draft_stale',
  'phase_aging',
  'reassessment_due',
  'campaign_due_soon',
  'campaign_overdue',
  'test',
] as const satisfies readonly MessageKind[];
export type ReminderKind = (typeof REMINDER_KINDS)[number];
