import { Controller, Get, Post, Req, Res, UseFilters } from '@nestjs/common';
import { Body } from '../common/body.decorator.js';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AccessPolicy } from '../auth/access-policy.js';
import { AllowedBeforePasswordChange, Public, Roles } from '../auth/access.decorators.js';
import { type Credential, CurrentActor, CurrentCredential } from '../auth/actor.decorator.js';
import { AuthService } from '../auth/auth.service.js';
import { LoginDto } from '../auth/dto/auth.dto.js';
import { ANY_ROLE, type Actor } from '../auth/roles.js';
import { isLocale } from '../messages/locales.js';
import { DomainError } from '../common/domain-error.js';
import { AuthErrors } from '../auth/auth.errors.js';
import { createValidationPipe } from '../common/validation.js';
import { AppConfig } from '../config/app-config.js';
import { PageErrorFilter } from './page-error.filter.js';
import { homeFor } from './page-menu.js';
import { PageRenderer } from './page-renderer.js';

const validation = createValidationPipe();

/**
 * Control characters, backslashes, and their percent-encodings: browsers drop tabs and line
 * breaks and read a backslash as a slash, so such an address can mean another site than it seems.
 */
// oxlint-disable-next-line no-control-regex -- finding control characters is its purpose
const UNSAFE_IN_NEXT = /[\u0000-\u001f\u007f\\]|%(?:[01][0-9a-f]|7f|5c)/i;

/**
 * Where to go back to after sign-in: `next` as the browser would resolve it against this site's
 * address, kept only when it stays on this site; anything else goes to the start page.
 */
function safeNext(next: unknown, publicUrl: string): string {
  if (typeof next !== 'string' || UNSAFE_IN_NEXT.test(next)) return '/';
  if (!URL.canParse(next, publicUrl)) return '/';
  const target = new URL(next, publicUrl);
  if (target.origin !== new URL(publicUrl).origin) return '/';
  return `${target.pathname}${target.search}${target.hash}`;
}

/**
 * Whether a form post came from this site's own pages: the browser's Sec-Fetch-Site where it sends
 * one, else the Origin header. Clients that send neither (curl, tests) are not browsers to protect.
 */
export function isSameOrigin(request: FastifyRequest): boolean {
  const fetchSite = request.headers['sec-fetch-site'];
  if (fetchSite) return fetchSite === 'same-origin' || fetchSite === 'none';
  const origin = request.headers.origin;
  if (!origin) return true;
  return URL.canParse(origin) && new URL(origin).host === request.host;
}

/** Sign-in, sign-out and the start page, which sends each user to where their work is. */
@ApiExcludeController()
@UseFilters(PageErrorFilter)
@Controller()
export class SignInPagesController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly auth: AuthService,
    private readonly config: AppConfig,
    private readonly policy: AccessPolicy,
  ) {}

  @Get()
  @Roles(...ANY_ROLE)
  async home(
    @CurrentActor() actor: Actor,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    // A language asked for at the door (`/?lang=ar`) goes on to the home page, which keeps it.
    const asked = (request.query as { lang?: unknown }).lang;
    const home = homeFor(this.policy, actor.user);
    await reply.redirect(isLocale(asked) ? `${home}?lang=${asked}` : home, 303);
  }

  @Get('login')
  @Public()
  async loginForm(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const next = safeNext((request.query as { next?: unknown }).next, this.config.PUBLIC_URL);
    await this.pages.render(
      request,
      reply,
      'login',
      { title: 'signIn', next, error: null, email: '' },
      null,
    );
  }

  @Post('login')
  @Public()
  async login(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Body() body: Record<string, unknown>,
  ): Promise<void> {
    const next = safeNext(body?.next, this.config.PUBLIC_URL);
    if (!isSameOrigin(request)) {
      throw new DomainError(AuthErrors.cross_site_login);
    }
    try {
      const credentials: LoginDto = await validation.transform(
        { email: body?.email, password: body?.password },
        { type: 'body', metatype: LoginDto },
      );
      const session = await this.auth.login(
        credentials,
        { ip: request.ip, requestId: request.id },
        'page',
      );
      this.pages.startSession(reply, session.accessToken, session.expiresIn);
      await reply.redirect(next, 303);
    } catch (error) {
      if (!(error instanceof DomainError) || error.status >= 500) throw error;
      await this.pages.render(
        request,
        reply,
        'login',
        {
          title: 'signIn',
          next,
          error: error.status === 429 ? 'tooManyAttempts' : 'badCredentials',
          // Kept, so that only the password is typed again.
          email: typeof body?.email === 'string' ? body.email.slice(0, 254) : '',
        },
        null,
        error.status === 429 ? 429 : 401,
      );
    }
  }

  @Post('logout')
  @Roles(...ANY_ROLE)
  @AllowedBeforePasswordChange()
  async logout(
    @CurrentActor() actor: Actor,
    @CurrentCredential() credential: Credential,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.auth.logout(actor, credential);
    this.pages.endSession(reply);
    this.pages.confirm(reply, 'done.signedOut');
    await reply.redirect('/login', 303);
  }
}
