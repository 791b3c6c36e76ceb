import { defineErrors, defineFieldErrors } from '../common/error-catalog.js';

export const StakeholderErrors = defineErrors({
  stakeholder_exists: { status: 409 },
});

export const StakeholderFieldErrors = defineFieldErrors([
  'not_a_stakeholder_of',
  'private_webhook_address',
]);
