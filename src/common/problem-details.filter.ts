import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isDatabaseUnavailable } from '../database/pg-errors.js';
import { type ErrorParams, formatError, hasMessage } from '../messages/catalog.js';
import { type Locale, negotiateLocale } from '../messages/locales.js';
import { CommonErrors } from './common.errors.js';
import { DomainError, type FieldError, type FieldErrorBody, inLocale } from './domain-error.js';
import type { ErrorEntry } from './error-catalog.js';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  code: string;
  errors?: FieldErrorBody[];
  requestId?: string;
}

/** The catalog entry answered for a bare HTTP status, as for Fastify's and Nest's refusals. */
const ENTRY_BY_STATUS: Record<number, ErrorEntry> = {
  400: CommonErrors.bad_request,
  401: CommonErrors.unauthorized_status,
  403: CommonErrors.forbidden,
  404: CommonErrors.not_found_status,
  405: CommonErrors.method_not_allowed,
  406: CommonErrors.not_acceptable,
  408: CommonErrors.request_timeout,
  409: CommonErrors.conflict,
  411: CommonErrors.length_required,
  413: CommonErrors.payload_too_large,
  414: CommonErrors.uri_too_long,
  415: CommonErrors.unsupported_media_type,
  422: CommonErrors.unprocessable,
  429: CommonErrors.too_many_requests,
  431: CommonErrors.header_fields_too_large,
  503: CommonErrors.service_unavailable,
};

/** Fastify's own errors (body parsing, size limits) that we answer with their own status. */
interface FastifyClientError {
  statusCode: number;
  code: string;
  message: string;
}

function isFastifyClientError(error: unknown): error is FastifyClientError {
  const candidate = error as Partial<FastifyClientError> | null;
  return (
    typeof candidate?.statusCode === 'number' &&
    candidate.statusCode >= 400 &&
    candidate.statusCode < 500 &&
    typeof candidate.code === 'string' &&
    candidate.code.startsWith('FST_')
  );
}

/** The status's name in the locale (`title.404`...), as `title` of a problem of type about:blank. */
function title(status: number, locale: Locale): string {
  const key = `title.${status}`;
  return hasMessage('errors', key)
    ? formatError(key, {}, locale)
    : (STATUS_CODES[status] ?? 'Error');
}

function problem(
  locale: Locale,
  status: number,
  code: string,
  detail?: string,
  errors?: FieldError[],
): Problem {
  return {
    type: 'about:blank',
    title: title(status, locale),
    status,
    ...(detail ? { detail } : {}),
    code,
    ...(errors ? { errors: errors.map((error) => inLocale(error, locale)) } : {}),
  };
}

/**
 * The problem for a bare status, as for Fastify's own refusals: the catalog's code and message
 * of the status (another 4xx answers as 400, another 5xx as 500), not the library's English.
 */
export function problemForStatus(status: number, locale: Locale = 'en'): Problem {
  const entry =
    ENTRY_BY_STATUS[status] ??
    (status >= 400 && status < 500 ? CommonErrors.bad_request : CommonErrors.internal_error);
  return fromEntry(locale, entry);
}

/** The problem of a catalog entry, its detail rendered from the message catalog. */
function fromEntry(locale: Locale, entry: ErrorEntry, params: ErrorParams = {}): Problem {
  return problem(locale, entry.status, entry.code, formatError(entry.messageKey, params, locale));
}

/** A refusal of ours as its problem, in the locale. */
export function problemOf(error: DomainError, locale: Locale): Problem {
  return problem(
    locale,
    error.status,
    error.code,
    formatError(error.entry.messageKey, error.params, locale),
    error.errors,
  );
}

export function sendProblem(reply: FastifyReply, body: Problem, requestId?: string): void {
  void reply
    .status(body.status)
    .header('content-type', 'application/problem+json; charset=utf-8')
    .send({ ...body, requestId });
}

/**
 * Writes every error as application/problem+json (RFC 9457), its `title`, `detail` and
 * `errors[].message` in the language the request's Accept-Language prefers (English when none
 * of ours), its `code` the same in every language.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger(ProblemDetailsFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const requestId = (request.raw as { id?: string }).id;
    const locale = negotiateLocale(request.headers['accept-language']);

    let body: Problem;
    if (exception instanceof DomainError) {
      body = problemOf(exception, locale);
      void reply.headers(exception.headers);
    } else if (exception instanceof HttpException) {
      body = problemForStatus(exception.getStatus(), locale);
      if (body.status >= 500) this.logger.error({ err: exception, requestId }, 'Server error');
    } else if (isFastifyClientError(exception)) {
      body = problemForStatus(exception.statusCode, locale);
    } else if (isDatabaseUnavailable(exception)) {
      // An outage rather than a bug: answer as readiness does, so clients know to try again.
      this.logger.warn({ requestId, reason: (exception as Error).message }, 'Database unavailable');
      body = fromEntry(locale, CommonErrors.database_unavailable);
      void reply.header('retry-after', '5');
    } else {
      this.logger.error({ err: exception, requestId }, 'Unhandled error');
      // A bare 500: nothing about the failure reaches the client.
      body = problem(locale, 500, CommonErrors.internal_error.code);
    }

    sendProblem(reply, body, requestId);
  }
}
