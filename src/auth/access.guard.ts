import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { CommonErrors } from '../common/common.errors.js';
import { DomainError } from '../common/domain-error.js';
import { AuthErrors } from './auth.errors.js';
import { ACCESS_RULE, type AccessRule, BEFORE_PASSWORD_CHANGE } from './access.decorators.js';
import type { AuthenticatedRequest } from './actor.decorator.js';
import { AuthService } from './auth.service.js';
import { ServerSecrets } from './server-secrets.js';
import { CSRF_HEADER, isValidCsrfToken, sessionCookieName } from './session.js';
import { AppConfig } from '../config/app-config.js';

/**
 * Deny by default: a route answers only if it declares who may call it, with @Public or
 * @Roles. Country scope is checked further in, by the services through the access policy.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
    private readonly secrets: ServerSecrets,
    private readonly config: AppConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_RULE, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!rule) throw new DomainError(AuthErrors.no_access_rule);
    if (rule.public) return true;

    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const { principal: user, credential } = await this.auth.authenticate(this.credentials(request));
    request.principal = user;
    request.credential = credential;
    if (!rule.roles.includes(user.role)) {
      throw new DomainError(CommonErrors.role_not_allowed, { role: user.role });
    }
    if (user.passwordChangeRequired && !this.allowedBeforePasswordChange(context)) {
      throw new DomainError(AuthErrors.password_change_required);
    }
    return true;
  }

  private allowedBeforePasswordChange(context: ExecutionContext): boolean {
    return (
      this.reflector.getAllAndOverride<boolean | undefined>(BEFORE_PASSWORD_CHANGE, [
        context.getHandler(),
        context.getClass(),
      ]) === true
    );
  }

  /**
   * The bearer header, or else the pages' session cookie. A write by cookie must carry the
   * session's CSRF token (a header from scripts, a `_csrf` field from forms, the address's `_csrf`
   * from file forms), which a page on another site cannot know.
   */
  private credentials(request: AuthenticatedRequest): string | undefined {
    if (request.headers.authorization !== undefined) return request.headers.authorization;
    const session = request.cookies?.[sessionCookieName(this.config.PUBLIC_URL)];
    if (!session) return undefined;
    const safe = request.method === 'GET' || request.method === 'HEAD';
    const given =
      request.headers[CSRF_HEADER] ??
      (request.body as { _csrf?: unknown } | undefined)?._csrf ??
      this.tokenOfFileForm(request);
    if (!safe && !isValidCsrfToken(session, this.secrets.csrf, given)) {
      throw new DomainError(AuthErrors.csrf_token_invalid);
    }
    return `Bearer ${session}`;
  }

  /**
   * A file form's token rides in its action's query: its fields are streamed after the guard has
   * decided, so they cannot carry it. Only there: no other request reads a token off its address.
   */
  private tokenOfFileForm(request: AuthenticatedRequest): unknown {
    if (!request.headers['content-type']?.startsWith('multipart/form-data')) return undefined;
    return (request.query as { _csrf?: unknown } | undefined)?._csrf;
  }
}
