import { fileURLToPath } from 'node:url';
import { Injectable } from '@nestjs/common';
import { Eta } from 'eta';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AccessPolicy } from '../auth/access-policy.js';
import type { Principal } from '../auth/roles.js';
import { ServerSecrets } from '../auth/server-secrets.js';
import { csrfTokenFor, sessionCookieName } from '../auth/session.js';
import { AppConfig } from '../config/app-config.js';
import {
  LOCALES,
  LOCALE_NAMES,
  type Locale,
  type Text,
  isLocale,
  negotiateLocale,
  textDirection,
} from '../messages/locales.js';
import { escapeHtml } from '../messages/escape-html.js';
import { ASSET_URLS } from './assets.js';
import { translator } from './i18n.js';
import { type PageFormats, isTimeZone, pageFormats } from './page-formats.js';
import { type MenuEntry, menuFor } from './page-menu.js';

const LANGUAGE_COOKIE = 'lang';
/** The browser's IANA time zone, which app.js keeps in this cookie. */
const TIME_ZONE_COOKIE = 'tz';

/** This page with its query (filters, the chosen programme) in another language. */
function inLanguage(requestUrl: string, locale: Locale): string {
  const url = new URL(requestUrl, 'http://page.invalid');
  url.searchParams.set('lang', locale);
  return `${url.pathname}${url.search}`;
}

/** What every page's template receives besides its own data. */
export interface PageContext extends PageFormats {
  t: ReturnType<typeof translator>;
  /**
   * A content text as HTML: marked with its own language when it is not the page's; what a person
   * wrote, in a language we cannot know, isolated so that its direction does not upset the page's.
   */
  text: (value: Text) => string;
  lang: Locale;
  dir: 'ltr' | 'rtl';
  /** The language list: each language in its own name, linking to this page and query in it. */
  languages: { code: Locale; name: string; dir: 'ltr' | 'rtl'; href: string }[];
  user: Principal | null;
  /** The versioned URLs of the stylesheet and scripts. */
  assets: typeof ASSET_URLS;
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

  /**
   * The page's language: `?lang=` (then remembered in a cookie), the one remembered, the user's
   * saved locale, the browser's Accept-Language, else English.
   */
  language(request: FastifyRequest, user: Principal | null): Locale {
    const asked = (request.query as Record<string, unknown> | undefined)?.lang;
    if (isLocale(asked)) return asked;
    const chosen = request.cookies[LANGUAGE_COOKIE];
    if (isLocale(chosen)) return chosen;
    if (isLocale(user?.locale)) return user.locale;
    return negotiateLocale(request.headers['accept-language']);
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
    if (isLocale(asked)) {
      void reply.setCookie(LANGUAGE_COOKIE, asked, this.cookieOptions(365 * 24 * 3600, false));
    }
    const session = this.sessionToken(request);
    const timeZone = request.cookies[TIME_ZONE_COOKIE];
    const context: PageContext = {
      // Until the browser has said its zone, times are in UTC, and say so.
      ...pageFormats(lang, isTimeZone(timeZone) ? timeZone : 'UTC'),
      t: translator(lang),
      text: (value: Text) =>
        value.lang === null
          ? `<bdi>${escapeHtml(value.text)}</bdi>`
          : value.lang === lang
            ? escapeHtml(value.text)
            : `<span lang="${value.lang}" dir="${textDirection(value.lang)}">${escapeHtml(value.text)}</span>`,
      lang,
      dir: textDirection(lang),
      languages: LOCALES.map((code) => ({
        code,
        name: LOCALE_NAMES[code],
        dir: textDirection(code),
        href: inLanguage(request.url, code),
      })),
      user,
      menu: user ? menuFor(this.policy, user) : [],
      csrfToken: session ? csrfTokenFor(session, this.secrets.csrf) : '',
      assets: ASSET_URLS,
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
