/** The five phases of a national CIRT rollout, in order (docs/domain.md §1). */
export const PHASES = [
  'readiness_assessment',
  'planning',
  'implementation',
  'operation',
  'maintenance',
] as const;
export type Phase = (typeof PHASES)[number];

/** The phases before `operation`: the way to establishment, whose durations are measured. */
export const PHASES_BEFORE_OPERATION = PHASES.slice(0, PHASES.indexOf('operation'));

export const CIRT_TYPES = ['national', 'government', 'sectoral'] as const;
export type CirtType = (typeof CIRT_TYPES)[number];

export const PROGRAMME_STATUSES = ['active', 'on_hold', 'cancelled'] as const;
export type ProgrammeStatus = (typeof PROGRAMME_STATUSES)[number];

export const HOLD_REASONS = ['funding', 'political', 'security', 'other'] as const;
export type HoldReason = (typeof HOLD_REASONS)[number];

export const HEALTHS = ['on_track', 'at_risk', 'off_track'] as const;
export type Health = (typeof HEALTHS)[number];
