import { defineErrors, defineFieldErrors } from '../common/error-catalog.js';

export const CampaignErrors = defineErrors({
  campaign_no_programmes: { status: 422 },
  campaign_nothing_to_launch: { status: 409 },
  campaign_closed: { status: 409 },
  campaign_outside_region: { status: 403 },
});

export const CampaignFieldErrors = defineFieldErrors([
  'campaign_region_or_countries',
  'campaign_countries_unknown',
  'campaign_due_date_past',
]);
