import { defineErrors, defineFieldErrors } from '../common/error-catalog.js';

export const UserErrors = defineErrors({
  email_taken: { status: 409 },
  admin_only: { status: 403 },
  // Unknown and used get the same answer, so that an answer tells nothing of which tokens were real.
  invitation_invalid: { status: 404 },
  invitation_expired: { status: 410 },
  invitation_not_needed: { status: 409 },
});

export const UserFieldErrors = defineFieldErrors([
  'country_code_required',
  'country_code_not_allowed',
  'region_code_required',
  'region_code_not_allowed',
  'password_or_invitation',
  'password_and_invitation',
]);
