import { defineErrors, defineFieldErrors } from '../common/error-catalog.js';

export const UserErrors = defineErrors({
  email_taken: { status: 409 },
  admin_only: { status: 403 },
});

export const UserFieldErrors = defineFieldErrors([
  'country_code_required',
  'country_code_not_allowed',
  'region_code_required',
  'region_code_not_allowed',
]);
