import type { MessageKind } from '../messages/message-renderer.js';

/** The events users and stakeholders hear of as they happen (issue 12). */
export const EVENT_KINDS = [
  'transition_requested',
  'transition_approved',
  'transition_rejected',
  'assessment_submitted',
  'assessment_returned',
  'assessment_validated',
  'milestone_blocked',
  'status_off_track',
  'report_completed',
] as const satisfies readonly MessageKind[];
export type EventKind = (typeof EVENT_KINDS)[number];

/** How a user takes an event kind; a kind the user never set is `immediate`. */
export const DELIVERY_MODES = ['immediate', 'daily_digest', 'off'] as const;
export type DeliveryMode = (typeof DELIVERY_MODES)[number];
