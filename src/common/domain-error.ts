import { type MessageParams, formatError } from '../messages/errors/index.js';
import { CommonErrors } from './common.errors.js';
import type { ErrorEntry, FieldErrorEntry } from './error-catalog.js';

/** An item of a problem's `errors[]`: which field, a stable code, and a readable sentence. */
export interface FieldError {
  field: string;
  code: string;
  message: string;
}

export interface DomainErrorOptions {
  errors?: FieldError[];
  headers?: Record<string, string>;
}

/**
 * A refusal the caller can act on, always an entry of the error catalog (see error-catalog.ts):
 * its `code` is stable and machine-readable, its message is the catalog's, rendered with
 * `params`. The problem+json filter turns it into the HTTP answer.
 */
export class DomainError extends Error {
  readonly status: number;
  readonly code: string;
  readonly errors?: FieldError[];
  readonly headers: Record<string, string>;

  constructor(
    readonly entry: ErrorEntry,
    readonly params: MessageParams = {},
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

/** A field error from the catalog, its message rendered with `params` (`field` included). */
export function fieldError(
  field: string,
  entry: FieldErrorEntry,
  params: MessageParams = {},
): FieldError {
  return { field, code: entry.code, message: formatError(entry.messageKey, { field, ...params }) };
}

/** 400 validation_failed listing the problems. */
export function validationFailed(errors: FieldError[]): DomainError {
  return new DomainError(CommonErrors.validation_failed, {}, { errors });
}

/** 400 validation_failed for one field. */
export function invalidField(
  field: string,
  entry: FieldErrorEntry,
  params: MessageParams = {},
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
  params: MessageParams,
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
