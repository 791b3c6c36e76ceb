import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isDatabaseUnavailable } from '../database/pg-errors.js';
import { type MessageParams, formatError } from '../messages/errors/index.js';
import { CommonErrors } from './common.errors.js';
import { DomainError, FieldError } from './domain-error.js';
import type { ErrorEntry } from './error-catalog.js';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  code: string;
  errors?: FieldError[];
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

function problem(status: number, code: string, detail?: string, errors?: FieldError[]): Problem {
  return {
    type: 'about:blank',
    title: STATUS_CODES[status] ?? 'Error',
    status,
    ...(detail ? { detail } : {}),
    code,
    ...(errors ? { errors } : {}),
  };
}

/**
 * The problem for a bare status, as for Fastify's own refusals: the catalog's code and message
 * of the status (another 4xx answers as 400, another 5xx as 500), not the library's English.
 */
export function problemForStatus(status: number): Problem {
  const entry =
    ENTRY_BY_STATUS[status] ??
    (status >= 400 && status < 500 ? CommonErrors.bad_request : CommonErrors.internal_error);
  return fromEntry(entry);
}

/** The problem of a catalog entry, its detail rendered from the message catalog. */
function fromEntry(entry: ErrorEntry, params: MessageParams = {}, errors?: FieldError[]): Problem {
  return problem(entry.status, entry.code, formatError(entry.messageKey, params), errors);
}

export function sendProblem(reply: FastifyReply, body: Problem, requestId?: string): void {
  void reply
    .status(body.status)
    .header('content-type', 'application/problem+json; charset=utf-8')
    .send({ ...body, requestId });
}

/** Writes every error as application/problem+json (RFC 9457). */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger(ProblemDetailsFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const requestId = (request.raw as { id?: string }).id;

    let body: Problem;
    if (exception instanceof DomainError) {
      body = problem(exception.status, exception.code, exception.message, exception.errors);
      void reply.headers(exception.headers);
    } else if (exception instanceof HttpException) {
      body = problemForStatus(exception.getStatus());
      if (body.status >= 500) this.logger.error({ err: exception, requestId }, 'Server error');
    } else if (isFastifyClientError(exception)) {
      body = problemForStatus(exception.statusCode);
    } else if (isDatabaseUnavailable(exception)) {
      // An outage rather than a bug: answer as readiness does, so clients know to try again.
      this.logger.warn({ requestId, reason: (exception as Error).message }, 'Database unavailable');
      body = fromEntry(CommonErrors.database_unavailable);
      void reply.header('retry-after', '5');
    } else {
      this.logger.error({ err: exception, requestId }, 'Unhandled error');
      // A bare 500: nothing about the failure reaches the client.
      body = problem(500, CommonErrors.internal_error.code);
    }

    sendProblem(reply, body, requestId);
  }
}
