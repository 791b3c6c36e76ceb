import { type ErrorParams, formatError } from '../messages/catalog.js';
import type { Locale } from '../messages/locales.js';
import { CommonErrors } from './common.errors.js';
import type { ErrorEntry, FieldErrorEntry } from './error-catalog.js';

/**
 * An item of a problem's `errors[]`: which field, a stable code, and the catalog message that
 * says it, rendered in the reader's language when the answer is written (`inLocale`).
 */
export interface FieldError {
  field: string;
  code: string;
  messageKey: string;
  params: ErrorParams;
}

/** A field error as the answer carries it. */
export interface FieldErrorBody {
  field: string;
  code: string;
  message: string;
}

export function inLocale(error: FieldError, locale: Locale): FieldErrorBody {
  return {
    field: error.field,
    code: error.code,
    message: formatError(error.messageKey, error.params, locale),
  };
}

export interface DomainErrorOptions {
  errors?: FieldError[];
  headers?: Record<string, string>;
}

/**
 * A refusal the caller can act on, always an entry of the error catalog (see error-catalog.ts):
 * its `code` is stable and machine-readable, its message is the catalog's, rendered with
 * `params`. The problem+json filter turns it into the HTTP answer in the reader's language; the
 * Error's own message, for logs, is English.
 */
export class DomainError extends Error {
  readonly status: number;
  readonly code: string;
  readonly errors?: FieldError[];
  readonly headers: Record<string, string>;

  constructor(
    readonly entry: ErrorEntry,
    readonly params: ErrorParams = {},
    options: DomainErrorOptions = {},
  ) {
    super(formatError(entry.messageKey, params));
    this.name = 'DomainError';
    this.status = entry.status;
    this.code = entry.code;
    this.errors = options.errors;
    this.headers = options.headers ?? {};
  }
}

/** A field error from the catalog, its message to be rendered with `params` (`field` included). */
export function fieldError(
  field: string,
  entry: FieldErrorEntry,
  params: ErrorParams = {},
): FieldError {
  return { field, code: entry.code, messageKey: entry.messageKey, params: { field, ...params } };
}

/** 400 validation_failed listing the problems. */
export function validationFailed(errors: FieldError[]): DomainError {
  return new DomainError(CommonErrors.validation_failed, {}, { errors });
}

/** 400 validation_failed for one field. */
export function invalidField(
  field: string,
  entry: FieldErrorEntry,
  params: ErrorParams = {},
): DomainError {
  return validationFailed([fieldError(field, entry, params)]);
}

/** 401: with the challenge that tells the client to send a Bearer token. */
export function unauthorized(entry: ErrorEntry = CommonErrors.unauthorized): DomainError {
  return new DomainError(entry, {}, { headers: { 'www-authenticate': 'Bearer' } });
}

/** 429 with Retry-After. */
export function tooManyRequests(
  entry: ErrorEntry,
  params: ErrorParams,
  retryAfterSeconds: number,
): DomainError {
  return new DomainError(entry, params, {
    headers: { 'retry-after': String(Math.max(1, Math.ceil(retryAfterSeconds))) },
  });
}

/** 404 for something the caller may not see or that does not exist: the same answer for both. */
export function notFound(what: string): DomainError {
  return new DomainError(CommonErrors.not_found, { what });
}
