/** An open campaign reminds its laggards; a closed one is kept for its record and reminds no one. */
export const CAMPAIGN_STATUSES = ['open', 'closed'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

/** Why a programme of a campaign's scope gets no draft. */
export const SKIP_REASONS = [
  'programme_on_hold',
  'programme_cancelled',
  'open_assessment_exists',
] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];
