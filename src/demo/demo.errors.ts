import { defineErrors, defineFieldErrors } from '../common/error-catalog.js';

export const DemoErrors = defineErrors({
  demo_incomplete: { status: 409 },
  database_not_empty: { status: 409 },
});

export const DemoFieldErrors = defineFieldErrors(['demo_country_count']);
