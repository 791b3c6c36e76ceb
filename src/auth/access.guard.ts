import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError, ForbiddenError } from '../common/domain-error.js';
import { ACCESS_RULE, type AccessRule } from './access.decorators.js';
import type { AuthenticatedRequest } from './actor.decorator.js';
import { AuthService } from './auth.service.js';

/**
 * Deny by default: a route answers only if it declares who may call it, with @Public or
 * @Roles. Country scope is checked further in, by the services through the access policy.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_RULE, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!rule) throw new DomainError(403, 'no_access_rule', 'This route declares no access rule');
    if (rule.public) return true;

    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const user = await this.auth.authenticate(request.headers.authorization);
    request.principal = user;
    if (!rule.roles.includes(user.role)) {
      throw new ForbiddenError('role_not_allowed', `The role ${user.role} may not do this`);
    }
    return true;
  }
}
