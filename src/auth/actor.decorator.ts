import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Actor, Principal } from './roles.js';

export interface AuthenticatedRequest extends FastifyRequest {
  principal?: Principal;
}

/** The signed-in caller and the request id, for routes declared with @Roles. */
export const CurrentActor = createParamDecorator((_: unknown, context: ExecutionContext): Actor => {
  const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
  if (!request.principal) throw new Error('CurrentActor used on a route without @Roles');
  return { user: request.principal, requestId: request.id };
});

export interface ClientInfo {
  ip: string;
  requestId: string;
}

/** The caller's address and the request id, for public routes. */
export const CurrentClient = createParamDecorator(
  (_: unknown, context: ExecutionContext): ClientInfo => {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    return { ip: request.ip, requestId: request.id };
  },
);
