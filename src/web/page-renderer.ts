import { fileURLToPath } from 'node:url';
import { Injectable } from '@nestjs/common';
import { Eta } from 'eta';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AccessPolicy } from '../auth/access-policy.js';
import type { Principal } from '../auth/roles.js';
import { ServerSecrets } from '../auth/server-secrets.js';
import { csrfTokenFor, sessionCookieName } from '../auth/session.js';
import { AppConfig } from '../config/app-config.js';
import { type PageLanguage, isPageLanguage, translator } from './i18n.js';
import { type MenuEntry, menuFor } from './page-menu.js';

const LANGUAGE_COOKIE = 'lang';

/** What every page's template receives besides its own data. */
export interface PageContext {
  t: ReturnType<typeof translator>;
  lang: PageLanguage;
  user: Principal | null;
  /** The pages this user may open, decided by the access policy. */
  menu: MenuEntry[];
  csrfToken: string;
}

/**
 * Renders Eta templates (src/web/views) into a page with the layout: language, signed-in user,
 * the menu of pages they may open, and the CSRF token for the page's scripts.
 */
@Injectable()
export class PageRenderer {
  private readonly eta = new Eta({
    views: fileURLToPath(new URL('./views', import.meta.url)),
    cache: true,
  });

  private readonly sessionCookie: string;

  constructor(
    private readonly config: AppConfig,
    private readonly secrets: ServerSecrets,
    private readonly policy: AccessPolicy,
  ) {
    this.sessionCookie = sessionCookieName(config.PUBLIC_URL);
  }

  /** The access token in the session cookie, if the browser sent one. */
  private sessionToken(request: FastifyRequest): string | undefined {
    return request.cookies[this.sessionCookie];
  }

  language(request: FastifyRequest, user: Principal | null): PageLanguage {
    const asked = (request.query as Record<string, unknown> | undefined)?.lang;
    if (isPageLanguage(asked)) return asked;
    const chosen = request.cookies[LANGUAGE_COOKIE];
    if (isPageLanguage(chosen)) return chosen;
    if (isPageLanguage(user?.locale)) return user.locale;
    const accepted = request.headers['accept-language']?.slice(0, 2);
    return isPageLanguage(accepted) ? accepted : 'en';
  }

  async render(
    request: FastifyRequest,
    reply: FastifyReply,
    view: string,
    data: { title: string } & Record<string, unknown>,
    user: Principal | null,
    status = 200,
  ): Promise<void> {
    const lang = this.language(request, user);
    const asked = (request.query as Record<string, unknown> | undefined)?.lang;
    if (isPageLanguage(asked)) {
      void reply.setCookie(LANGUAGE_COOKIE, asked, this.cookieOptions(365 * 24 * 3600, false));
    }
    const session = this.sessionToken(request);
    const context: PageContext = {
      t: translator(lang),
      lang,
      user,
      menu: user ? menuFor(this.policy, user) : [],
      csrfToken: session ? csrfTokenFor(session, this.secrets.csrf) : '',
    };
    const html = await this.eta.renderAsync(view, { ...context, ...data });
    await reply
      .code(status)
      .header('content-type', 'text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(html);
  }

  startSession(reply: FastifyReply, accessToken: string, expiresIn: number): void {
    void reply.setCookie(this.sessionCookie, accessToken, this.cookieOptions(expiresIn, true));
  }

  endSession(reply: FastifyReply): void {
    void reply.clearCookie(this.sessionCookie, this.cookieOptions(0, true));
  }

  private cookieOptions(maxAge: number, httpOnly: boolean) {
    return {
      path: '/',
      maxAge,
      httpOnly,
      sameSite: 'lax' as const,
      secure: this.config.PUBLIC_URL.startsWith('https:'),
    };
  }
}
