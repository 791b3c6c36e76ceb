import { fileURLToPath } from 'node:url';
import { Injectable } from '@nestjs/common';
import { Eta } from 'eta';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../auth/roles.js';
import { ServerSecrets } from '../auth/server-secrets.js';
import { csrfTokenFor, sessionCookieName } from '../auth/session.js';
import { AppConfig } from '../config/app-config.js';
import { type PageLanguage, isPageLanguage, translator } from './i18n.js';

const LANGUAGE_COOKIE = 'lang';
const FLASH_COOKIE = 'flash';

/** What every page's template receives besides its own data. */
export interface PageContext {
  t: ReturnType<typeof translator>;
  lang: PageLanguage;
  user: Principal | null;
  csrfToken: string;
  path: string;
  flash: string | null;
}

/**
 * Renders Eta templates (src/web/views) into a page with the layout: language, signed-in user,
 * CSRF token for the page's scripts, and a one-time message left by the previous action.
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
  ) {
    this.sessionCookie = sessionCookieName(config.PUBLIC_URL);
  }

  /** The access token in the session cookie, if the browser sent one. */
  sessionToken(request: FastifyRequest): string | undefined {
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
    const flash = request.cookies[FLASH_COOKIE] ?? null;
    if (flash) void reply.clearCookie(FLASH_COOKIE, { path: '/' });
    const session = this.sessionToken(request);
    const context: PageContext = {
      t: translator(lang),
      lang,
      user,
      csrfToken: session ? csrfTokenFor(session, this.secrets.csrf) : '',
      path: request.url,
      flash,
    };
    const html = await this.eta.renderAsync(view, { ...context, ...data });
    await reply
      .code(status)
      .header('content-type', 'text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(html);
  }

  /** Leaves a message for the next page the browser shows (after a redirect). */
  flash(reply: FastifyReply, message: string): void {
    void reply.setCookie(FLASH_COOKIE, message, this.cookieOptions(60, true));
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
