/** The people of a country's rollout who receive reminders; most are not users (docs/domain.md §3). */
export const STAKEHOLDER_ROLES = [
  'national_focal_point',
  'host_approver',
  'executive_sponsor',
  'cirt_lead',
  'itu_project_manager',
  'regional_coordinator',
  'itu_expert',
  'donor',
  'implementing_partner',
  'peer_cirt',
] as const;
export type StakeholderRole = (typeof STAKEHOLDER_ROLES)[number];
