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
import { formatMessage, hasMessage } from '../messages/catalog.js';
import { ASSET_URLS } from './assets.js';
import { type FormState, RefusedForm, formState } from './refused-form.js';
import { translator } from './i18n.js';
import { type PageFormats, isTimeZone, pageFormats } from './page-formats.js';
import { type MenuEntry, menuFor, showsDecisionsWaiting } from './page-menu.js';
import { WorkQueueQuery } from './work-queue.query.js';

const LANGUAGE_COOKIE = 'lang';
/** The confirmation of the form just posted, shown once by the page the browser is sent back to. */
const NOTICE_COOKIE = 'notice';
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
  /** The confirmation of what the user just did, if they just did something. */
  notice: string | null;
  /** A form's fields and errors: what was typed and why, when its post was refused. */
  form: (id: string) => FormState;
  /** The refusal of a form the page no longer shows (a request already decided in another tab). */
  refusalNotShown: () => string | null;
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
    private readonly workQueue: WorkQueueQuery,
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
    data: {
      title: string;
      pageUrl?: string;
      refused?: RefusedForm;
      /** The confirmation of a form whose answer is this page itself (a pages catalog key). */
      confirmation?: string;
    } & Record<string, unknown>,
    user: Principal | null,
    status = 200,
  ): Promise<void> {
    const lang = this.language(request, user);
    const asked = (request.query as Record<string, unknown> | undefined)?.lang;
    if (isLocale(asked)) {
      void reply.setCookie(LANGUAGE_COOKIE, asked, this.cookieOptions(365 * 24 * 3600, false));
    }
    const notice = data.confirmation
      ? { text: formatMessage('pages', lang, data.confirmation), formId: null }
      : this.takeNotice(request, reply, lang);
    const refused = data.refused instanceof RefusedForm ? data.refused : null;
    let refusalShown = false;
    const session = this.sessionToken(request);
    const context: PageContext = {
      ...pageFormats(lang, this.timeZone(request, user)),
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
        // A form's page shown again after its post: the languages link to the page, not the post.
        href: inLanguage(data.pageUrl ?? request.url, code),
      })),
      user,
      menu: user ? menuFor(this.policy, user, await this.decisionsWaiting(user, status)) : [],
      csrfToken: session ? csrfTokenFor(session, this.secrets.csrf) : '',
      assets: ASSET_URLS,
      notice: notice && !notice.formId ? notice.text : null,
      form: (id: string) => {
        if (id === refused?.id) refusalShown = true;
        return formState(id, refused, notice?.formId === id ? notice.text : null);
      },
      // The layout is rendered after the page: a refusal whose form is gone is shown on top.
      refusalNotShown: () => (refused && !refusalShown ? refused.message : null),
    };
    const html = await this.eta.renderAsync(view, { ...context, ...data });
    await reply
      .code(status)
      .header('content-type', 'text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(html);
  }

  /**
   * Has the next page say that the form just posted did what it asked (a pages catalog key):
   * at the top of the page, or at the form itself when it is still there after (`formId`).
   */
  confirm(reply: FastifyReply, noticeKey: string, formId?: string): void {
    const value = formId ? `${noticeKey}@${formId}` : noticeKey;
    void reply.setCookie(NOTICE_COOKIE, value, this.cookieOptions(60, true));
  }

  /**
   * The zone the pages show times in: the one the user chose on their account page, else the
   * browser's; until the browser has said it, UTC, which the times name.
   */
  timeZone(request: FastifyRequest, user: Principal | null): string {
    const zone = user?.timezone ?? request.cookies[TIME_ZONE_COOKIE];
    return isTimeZone(zone) ? zone : 'UTC';
  }

  /** The language the user chose on their account page, for this browser's next pages too. */
  rememberLanguage(reply: FastifyReply, locale: Locale): void {
    void reply.setCookie(LANGUAGE_COOKIE, locale, this.cookieOptions(365 * 24 * 3600, false));
  }

  /** The confirmation left by `confirm`, shown once. */
  private takeNotice(request: FastifyRequest, reply: FastifyReply, lang: Locale) {
    const value = request.cookies[NOTICE_COOKIE];
    if (!value) return null;
    void reply.clearCookie(NOTICE_COOKIE, this.cookieOptions(0, true));
    const [key, formId] = value.split('@');
    if (!key.startsWith('done.') || !hasMessage('pages', key)) return null;
    return { text: formatMessage('pages', lang, key), formId: formId || null };
  }

  /**
   * My queue's count, for those whose menu has it: one small count per page. Not on a page that
   * says the server failed, as the database may be why.
   */
  private async decisionsWaiting(user: Principal, status: number): Promise<number | undefined> {
    if (status >= 500 || user.passwordChangeRequired || !showsDecisionsWaiting(this.policy, user)) {
      return undefined;
    }
    return this.workQueue.decisionsWaiting(user);
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
