import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Actor, Principal } from './roles.js';

/** What a request was signed in with: a login session (page or API) or an API token. */
export type Credential = { kind: 'session'; id: string } | { kind: 'api_token'; id: string };

export interface AuthenticatedRequest extends FastifyRequest {
  principal?: Principal;
  credential?: Credential;
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

/** The session or API token of the request, for routes declared with @Roles. */
export const CurrentCredential = createParamDecorator(
  (_: unknown, context: ExecutionContext): Credential => {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    if (!request.credential) throw new Error('CurrentCredential used on a route without @Roles');
    return request.credential;
  },
);
