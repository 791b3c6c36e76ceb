import { defineErrors, defineFieldErrors } from '../common/error-catalog.js';

export const AuthErrors = defineErrors({
  invalid_credentials: { status: 401 },
  token_revoked: { status: 401, code: 'unauthorized' },
  too_many_sign_ins: { status: 429, code: 'too_many_requests' },
  current_password_invalid: { status: 400 },
  no_access_rule: { status: 403 },
  csrf_token_invalid: { status: 403 },
  cross_site_login: { status: 403 },
  password_change_required: { status: 403 },
});

export const AuthFieldErrors = defineFieldErrors([
  'current_password_wrong',
  'password_too_short',
  'password_is_email',
]);
