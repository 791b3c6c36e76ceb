import { defineErrors, defineFieldErrors } from '../common/error-catalog.js';

export const ReportErrors = defineErrors({
  report_schedule_not_paused: { status: 409 },
  report_schedule_already_paused: { status: 409 },
  schedule_limit_reached: { status: 409 },
  owner_does_not_cover_scope: { status: 422 },
});

export const ReportFieldErrors = defineFieldErrors([
  'region_or_countries',
  'countries_not_tracked',
  'schedule_too_frequent',
  'recipients_refused',
  'no_such_user',
]);
