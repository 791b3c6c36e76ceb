import {
  type CallHandler,
  type ExecutionContext,
  Injectable,
  NestInterceptor,
} from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Observable } from 'rxjs';
import { readsBody, readsFiles } from './body.decorator.js';
import { CommonErrors, ValidationFieldErrors } from './common.errors.js';
import { DomainError, invalidField } from './domain-error.js';

/** Nothing to read: no body, an empty one, or only the CSRF token that the pages' forms post. */
function isEmpty(body: unknown): boolean {
  if (body === undefined) return true;
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return false;
  return Object.keys(body).every((key) => key === '_csrf');
}

/**
 * A route that reads no body (submit, retry, delete...) refuses one that says something, as the
 * routes that read one refuse unknown fields: acting on the request anyway would hide the
 * client's mistake, such as fields meant for another route. A multipart body, which no parser
 * reads, goes only to a route that streams files (`@ReadsFiles`).
 */
@Injectable()
export class UnreadBodyInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    // A multipart body is left unparsed for the route to stream: only an upload route reads one.
    if (request.isMultipart() && !readsFiles(context.getHandler())) {
      throw new DomainError(CommonErrors.unsupported_media_type);
    }
    const { body } = request;
    if (!isEmpty(body) && !readsBody(context.getHandler())) {
      throw invalidField('body', ValidationFieldErrors.body_not_expected);
    }
    return next.handle();
  }
}
