import ct from 'countries-and-timezones';
import { CronExpressionParser } from 'cron-parser';
import { ValidateBy, ValidateIf, type ValidationOptions, isISO8601, isURL } from 'class-validator';
import { isCalendarDate } from './dates.js';

/** A calendar date YYYY-MM-DD between 1900 and 2199 that exists (no 2026-02-30). */
export function IsCalendarDate(options?: ValidationOptions) {
  return ValidateBy(
    {
      name: 'isCalendarDate',
      validator: {
        validate: (value) => isCalendarDate(value) && value >= '1900-01-01' && value < '2200-01-01',
        defaultMessage: (args) => `${args?.property} must be a calendar date YYYY-MM-DD`,
      },
    },
    options,
  );
}

/**
 * The ISO 8601 forms PostgreSQL reads as a timestamptz: a date, a time to the minute or finer and
 * an offset, between 1900 and 2199. ISO 8601 has others ("2026", "+2026-01-01", "2026-W01") that
 * PostgreSQL refuses.
 */
const TIMESTAMP =
  /^(19|2[01])\d{2}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}(:?\d{2})?)?)?$/;

/** A date or a timestamp such as 2026-11-01T00:00:00Z. */
export function IsTimestamp(options?: ValidationOptions) {
  return ValidateBy(
    {
      name: 'isTimestamp',
      validator: {
        validate: (value) =>
          typeof value === 'string' && TIMESTAMP.test(value) && isISO8601(value, { strict: true }),
        defaultMessage: (args) =>
          `${args?.property} must be an ISO 8601 timestamp such as 2026-11-01T00:00:00Z`,
      },
    },
    options,
  );
}

/** An IANA time zone name such as Africa/Nairobi. */
export function IsIanaTimeZone(options?: ValidationOptions) {
  return ValidateBy(
    {
      name: 'isIanaTimeZone',
      validator: {
        validate: (value) =>
          typeof value === 'string' && value.length <= 64 && ct.getTimezone(value) !== null,
        defaultMessage: (args) =>
          `${args?.property} must be an IANA time zone such as Africa/Nairobi`,
      },
    },
    options,
  );
}

/** A five-field cron pattern (minute hour day-of-month month day-of-week) that can fire. */
export function isCronPattern(value: unknown): boolean {
  if (typeof value !== 'string' || value.length > 100 || !/^(\S+\s+){4}\S+$/.test(value.trim())) {
    return false;
  }
  try {
    CronExpressionParser.parse(value, { strict: false }).next();
    return true;
  } catch {
    return false;
  }
}

export function IsCronPattern(options?: ValidationOptions) {
  return ValidateBy(
    {
      name: 'isCronPattern',
      validator: {
        validate: isCronPattern,
        defaultMessage: (args) =>
          `${args?.property} must be a five-field cron pattern such as "0 7 * * 1" (minute hour day month weekday)`,
      },
    },
    options,
  );
}

/**
 * An http or https URL that the WHATWG parser, which sends the request, can also read: isURL
 * alone takes some it cannot, such as an IPv6 zone id (http://[fe80::1%25lo]/), and the code that
 * reads the host then failed with 500 or stored a URL no delivery could use.
 */
export function isHttpUrl(value: unknown): boolean {
  return (
    typeof value === 'string' &&
    isURL(value, { protocols: ['http', 'https'], require_protocol: true, require_tld: false }) &&
    URL.canParse(value) &&
    ['http:', 'https:'].includes(new URL(value).protocol)
  );
}

export function IsHttpUrl(options?: ValidationOptions) {
  return ValidateBy(
    {
      name: 'isHttpUrl',
      validator: {
        validate: isHttpUrl,
        defaultMessage: (args) => `${args?.property} must be an http or https URL`,
      },
    },
    options,
  );
}

/** Trims surrounding white space off strings; other values pass unchanged for validation. */
export const trimString = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.trim() : value;

/**
 * For fields of a partial update that may be left out but not set to null: unlike IsOptional,
 * a null is validated (and refused by the field's other rules).
 */
export function IsOmittable() {
  return ValidateIf((_object, value) => value !== undefined);
}
