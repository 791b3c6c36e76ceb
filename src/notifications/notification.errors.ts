import { defineErrors, defineFieldErrors } from '../common/error-catalog.js';

export const NotificationErrors = defineErrors({
  not_retryable: { status: 422 },
});

export const NotificationFieldErrors = defineFieldErrors(['email_or_webhook', 'notification_kind']);
