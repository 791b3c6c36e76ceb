import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isDatabaseUnavailable } from '../database/pg-errors.js';
import { DomainError, FieldError } from './domain-error.js';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  code: string;
  errors?: FieldError[];
  requestId?: string;
}

const CODE_BY_STATUS: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  406: 'not_acceptable',
  409: 'conflict',
  413: 'payload_too_large',
  414: 'uri_too_long',
  415: 'unsupported_media_type',
  422: 'unprocessable',
  429: 'too_many_requests',
  503: 'service_unavailable',
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

/** The problem for a bare status, as for Fastify's own refusals. */
export function problemForStatus(status: number, detail?: string): Problem {
  return problem(status, CODE_BY_STATUS[status] ?? `http_${status}`, detail);
}

export function sendProblem(reply: FastifyReply, body: Problem, requestId?: string): void {
  void reply
    .status(body.status)
    .header('content-type', 'application/problem+json; charset=utf-8')
    .send({ ...body, requestId });
}

function fromHttpException(exception: HttpException): Problem {
  const status = exception.getStatus();
  const response = exception.getResponse();
  const message =
    typeof response === 'string' ? response : (response as { message?: unknown }).message;
  const detail = Array.isArray(message) ? message.join('; ') : String(message ?? exception.message);
  return problemForStatus(status, detail);
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
      body = fromHttpException(exception);
      if (body.status >= 500) this.logger.error({ err: exception, requestId }, 'Server error');
    } else if (isFastifyClientError(exception)) {
      body = problemForStatus(exception.statusCode, exception.message);
    } else if (isDatabaseUnavailable(exception)) {
      // An outage rather than a bug: answer as readiness does, so clients know to try again.
      this.logger.warn({ requestId, reason: (exception as Error).message }, 'Database unavailable');
      body = problem(
        503,
        'database_unavailable',
        'The database cannot be reached; try again shortly',
      );
      void reply.header('retry-after', '5');
    } else {
      this.logger.error({ err: exception, requestId }, 'Unhandled error');
      body = problem(500, 'internal_error');
    }

    sendProblem(reply, body, requestId);
  }
}
