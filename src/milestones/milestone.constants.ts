export const MILESTONE_STATUSES = [
  'planned',
  'in_progress',
  'blocked',
  'done',
  'cancelled',
] as const;
export type MilestoneStatus = (typeof MILESTONE_STATUSES)[number];

/** Statuses of work still to do: what gates wait for and what can be overdue. */
export const OPEN_MILESTONE_STATUSES: readonly MilestoneStatus[] = [
  'planned',
  'in_progress',
  'blocked',
];
