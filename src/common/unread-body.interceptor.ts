import {
  type CallHandler,
  type ExecutionContext,
  Injectable,
  NestInterceptor,
} from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum.js';
import type { FastifyRequest } from 'fastify';
import type { Observable } from 'rxjs';
import { ValidationFieldErrors } from './common.errors.js';
import { invalidField } from './domain-error.js';

/** Nothing to read: no body, an empty one, or only the CSRF token that the pages' forms post. */
function isEmpty(body: unknown): boolean {
  if (body === undefined) return true;
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return false;
  return Object.keys(body).every((key) => key === '_csrf');
}

/**
 * A route that reads no body (submit, retry, delete...) refuses one that says something, as the
 * routes that read one refuse unknown fields: acting on the request anyway would hide the
 * client's mistake, such as fields meant for another route.
 */
@Injectable()
export class UnreadBodyInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const { body } = context.switchToHttp().getRequest<FastifyRequest>();
    if (!isEmpty(body)) {
      const parameters: Record<string, unknown> =
        Reflect.getMetadata(ROUTE_ARGS_METADATA, context.getClass(), context.getHandler().name) ??
        {};
      const readsBody = Object.keys(parameters).some((key) =>
        key.startsWith(`${RouteParamtypes.BODY}:`),
      );
      if (!readsBody) throw invalidField('body', ValidationFieldErrors.body_not_expected);
    }
    return next.handle();
  }
}
