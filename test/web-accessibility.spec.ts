import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DEMO_PASSWORD, DEMO_USERS, loadDemoPortfolio } from '../src/demo/demo-portfolio.js';
import type { Locale } from '../src/messages/locales.js';
import {
  AXE_TAGS,
  type AxeViolation,
  type Visit,
  axeViolations,
  contrastRatio,
  throttledLoad,
  transferred,
} from './support/page-audit.js';
import { createInvitedUser } from './factories/invitations.js';
import { launchChromium } from './support/chromium.js';
import { type TestApp, startTestApp } from './support/test-app.js';

/** Every country there is: the "200-country" portfolio the page weights are taken on. */
const DEMO_COUNTRIES = 195;
/** What a page may cost a national team on a 400 kbps line with 400 ms round trips. */
const LIMITS = { firstKb: 60, repeatKb: 15, loadSeconds: 3 };
/** WCAG 2.4.11 and 1.4.11: a focus indicator against what surrounds it. */
const MIN_FOCUS_RING_CONTRAST = 3;
const SIGNED_OUT = 'signed out';
const COUNTRY = DEMO_USERS.team.countryCode;

type StorageState = Awaited<ReturnType<BrowserContext['storageState']>>;

/** One page for one role in one language, with what it cost and what axe found on it. */
interface AuditedPage {
  page: string;
  role: string;
  lang: Locale;
  first: Visit;
  repeat: Visit;
  /** On the slow line, in English; the Arabic visits count bytes only, which need no slow line. */
  throttled: boolean;
  violations: AxeViolation[];
  /** How far the page scrolls sideways on a 320 px wide phone: 0 when it fits. */
  overflowAt320: number;
}

describe('web pages: weight on a slow line, and accessibility', () => {
  let t: TestApp;
  let browser: Browser;
  let baseUrl: string;

  beforeAll(async () => {
    t = await startTestApp({ env: { PUBLIC_URL: 'http://127.0.0.1' } });
    await loadDemoPortfolio(t.app, { countries: DEMO_COUNTRIES });
    await t.app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    browser = await launchChromium();
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  /** Signs in through the login page: the session's cookies, and the pages of the user's menu. */
  async function signIn(email: string): Promise<{ session: StorageState; menu: string[] }> {
    const context = await browser.newContext({ baseURL: baseUrl });
    const page = await context.newPage();
    await page.goto('/login');
    await page.getByLabel('E-mail').fill(email);
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => url.pathname !== '/login');
    const menu = await page
      .locator('header nav a')
      .evaluateAll((links) => links.map((link) => link.getAttribute('href')!));
    const session = await context.storageState();
    await context.close();
    return { session, menu };
  }

  /**
   * A first visit with an empty cache, then a repeat visit with the cache the first one left (a
   * new tab of the same browser), and axe on the page of the repeat visit. On the slow line when
   * `throttled`; otherwise the bytes are the same and the load times mean nothing.
   */
  async function audit(path: string, session: StorageState | undefined, throttled: boolean) {
    const visit = throttled ? throttledLoad : transferred;
    const context = await browser.newContext({ baseURL: baseUrl, storageState: session });
    try {
      const firstPage = await context.newPage();
      const first = await visit(firstPage, path);
      await firstPage.close();
      const page = await context.newPage();
      const repeat = await visit(page, path);
      const violations = await axeViolations(page);
      await page.setViewportSize({ width: 320, height: 640 });
      const overflowAt320 = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      return { first, repeat, violations, overflowAt320 };
    } finally {
      await context.close();
    }
  }

  it('should keep every page light on a slow line, free of axe violations and within a 320 px phone, for every role in English and Arabic, and in the four other languages', async () => {
    const [{ id: assessmentId }] = (await t.dataSource.query(
      `SELECT a.id FROM assessments a JOIN programmes p ON p.id = a.programme_id
       WHERE p.country_code = $1 ORDER BY a.created_at DESC LIMIT 1`,
      [COUNTRY],
    )) as { id: string }[];
    const [{ id: teamUserId }] = (await t.dataSource.query(
      `SELECT id FROM users WHERE email = $1`,
      [DEMO_USERS.team.email],
    )) as { id: string }[];
    const [demoAdmin] = (await t.dataSource.query(`SELECT id FROM users WHERE email = $1`, [
      DEMO_USERS.admin.email,
    ])) as { id: string }[];
    // An invitation's page is opened signed out, from the e-mail's link.
    const invitation = `/invitation/${(await createInvitedUser(t, demoAdmin)).token}`;
    const pageNames = new Map([
      ['/login', 'sign-in'],
      [invitation, 'invitation'],
      ['/app/portfolio', 'portfolio'],
      ['/app/queue', 'my queue'],
      [`/app/countries/${COUNTRY}`, `country ${COUNTRY}`],
      [`/app/assessments/${assessmentId}`, `questionnaire ${COUNTRY}`],
      ['/app/reports', 'reports'],
      ['/app/report-schedules', 'report schedules'],
      ['/app/notifications', 'notifications'],
      ['/app/audit', 'audit trail'],
      ['/app/account', 'account'],
      ['/app/programmes/new', 'new programme'],
      ['/app/users', 'users'],
      ['/app/users/new', 'new user'],
      [`/app/users/${teamUserId}`, `user ${COUNTRY}`],
    ]);
    const everyonesPages = [...pageNames.keys()].filter(
      (path) => path !== '/login' && path !== invitation,
    );

    const audited: AuditedPage[] = [];
    // The Arabic visit, not throttled, runs beside the English one, which mostly waits on the line.
    const auditInBothLanguages = async (path: string, role: string, session?: StorageState) => {
      const page = pageNames.get(path) ?? path;
      const [english, arabic] = await Promise.all([
        audit(`${path}?lang=en`, session, true),
        audit(`${path}?lang=ar`, session, false),
      ]);
      audited.push(
        { page, role, lang: 'en', throttled: true, ...english },
        { page, role, lang: 'ar', throttled: false, ...arabic },
      );
    };
    // Nothing is timed on a cold server (templates compiled, the map drawn once): a served one is warm.
    const { session: adminSession } = await signIn(DEMO_USERS.admin.email);
    const warm = await browser.newContext({ baseURL: baseUrl, storageState: adminSession });
    for (const path of pageNames.keys()) await warm.request.get(path);
    await warm.close();

    await auditInBothLanguages('/login', SIGNED_OUT);
    await auditInBothLanguages(invitation, SIGNED_OUT);
    for (const user of Object.values(DEMO_USERS)) {
      const { session, menu } = await signIn(user.email);
      for (const path of new Set([...menu, ...everyonesPages])) {
        await auditInBothLanguages(path, user.role, session);
      }
    }
    // The four other languages, on every page: as the administrator, who may open them all, and
    // signed out for the pages one opens signed out. Their weight is counted, not their timing,
    // so the four visit at once.
    for (const path of pageNames.keys()) {
      const signedOut = path === '/login' || path === invitation;
      const languages = ['fr', 'es', 'ru', 'zh'] as const;
      const visits = await Promise.all(
        languages.map((lang) =>
          audit(`${path}?lang=${lang}`, signedOut ? undefined : adminSession, false),
        ),
      );
      visits.forEach((visit, i) =>
        audited.push({
          page: pageNames.get(path)!,
          role: signedOut ? SIGNED_OUT : 'admin',
          lang: languages[i],
          throttled: false,
          ...visit,
        }),
      );
    }

    process.stdout.write(`${auditTable(audited)}\n${violationReport(audited)}`);
    expect(problemsOf(audited)).toEqual([]);
  }, 900_000);

  it('should let the keyboard move through the language list without leaving the page, with a focus ring of 3:1 or more', async () => {
    const problems: string[] = [];
    for (const lang of ['en', 'ar']) {
      const page = await browser.newPage({ baseURL: baseUrl });
      await page.goto(`/login?lang=${lang}`);
      const address = page.url();
      let navigations = 0;
      page.on('framenavigated', (frame) => {
        if (frame === page.mainFrame()) navigations += 1;
      });
      const checkFocusRing = async (what: string) => {
        const ring = await focusRing(page);
        if (ring.style === 'none' || ring.contrast < MIN_FOCUS_RING_CONTRAST)
          problems.push(
            `${lang}, ${what}: ${ring.style} outline ${ring.colour} on ${ring.background}, ${ring.contrast.toFixed(2)}:1`,
          );
      };

      const summary = page.locator('details.lang summary');
      for (let presses = 0; presses < 30 && !(await isFocused(summary)); presses += 1) {
        await page.keyboard.press('Tab');
      }
      expect(await isFocused(summary)).toBe(true);
      await checkFocusRing('the language list');
      await page.keyboard.press('Enter');
      expect(await page.locator('details.lang').getAttribute('open')).not.toBeNull();

      const languages = await page
        .locator('details.lang a')
        .evaluateAll((links) => links.map((link) => link.getAttribute('hreflang')!));
      expect(languages).toHaveLength(6);
      for (const language of languages) {
        await page.keyboard.press('Tab');
        expect(await isFocused(page.locator(`details.lang a[hreflang="${language}"]`))).toBe(true);
        await checkFocusRing(`the link to ${language}`);
      }
      await page.keyboard.press('Tab');
      expect(await page.locator('details.lang :focus').count()).toBe(0);
      expect(navigations).toBe(0);
      expect(page.url()).toBe(address);
      await page.close();
    }
    expect(problems).toEqual([]);
  });
});

async function isFocused(locator: ReturnType<Page['locator']>): Promise<boolean> {
  return locator.evaluate((element) => element === document.activeElement);
}

/**
 * The focused element's outline, which is drawn outside it, against the first background around
 * it that is not transparent.
 */
async function focusRing(page: Page) {
  const ring = await page.locator(':focus').evaluate((element) => {
    const style = getComputedStyle(element);
    let background = 'rgb(255, 255, 255)';
    for (let around = element.parentElement; around; around = around.parentElement) {
      const colour = getComputedStyle(around).backgroundColor;
      if (!/^rgba\(.*,\s*0\)$/.test(colour)) {
        background = colour;
        break;
      }
    }
    return { style: style.outlineStyle, colour: style.outlineColor, background };
  });
  return { ...ring, contrast: contrastRatio(ring.colour, ring.background) };
}

/** Each page over a limit, or with axe violations, in a line. */
function problemsOf(audited: AuditedPage[]): string[] {
  const kb = (bytes: number) => bytes / 1024;
  return audited.flatMap((row) => {
    const where = `${row.page} (${row.role}, ${row.lang})`;
    return [
      row.first.status >= 500 && `${where}: answered ${row.first.status}`,
      kb(row.first.bytes) > LIMITS.firstKb &&
        `${where}: ${kb(row.first.bytes).toFixed(1)} KB on a first visit, over ${LIMITS.firstKb} KB`,
      kb(row.repeat.bytes) > LIMITS.repeatKb &&
        `${where}: ${kb(row.repeat.bytes).toFixed(1)} KB on a repeat visit, over ${LIMITS.repeatKb} KB`,
      row.throttled &&
        row.first.loadSeconds > LIMITS.loadSeconds &&
        `${where}: load event after ${row.first.loadSeconds.toFixed(2)} s, over ${LIMITS.loadSeconds} s`,
      row.violations.length > 0 &&
        `${where}: axe ${row.violations.map((violation) => violation.id).join(', ')}`,
      row.overflowAt320 > 0 && `${where}: scrolls ${row.overflowAt320} px sideways at 320 px`,
    ].filter((problem) => problem !== false);
  });
}

function auditTable(audited: AuditedPage[]): string {
  const header = [
    'page',
    'role',
    'lang',
    'status',
    'first KB',
    'repeat KB',
    'load s',
    'axe',
    'sideways at 320',
  ];
  const rows = audited.map((row) => [
    row.page,
    row.role,
    row.lang,
    String(row.first.status),
    (row.first.bytes / 1024).toFixed(1),
    (row.repeat.bytes / 1024).toFixed(1),
    row.throttled ? row.first.loadSeconds.toFixed(2) : '–',
    row.violations.length === 0 ? '0' : row.violations.map((violation) => violation.id).join(' '),
    `${row.overflowAt320} px`,
  ]);
  const widths = header.map((_, column) =>
    Math.max(...[header, ...rows].map((cells) => cells[column].length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) =>
        column >= 3 && column <= 6 ? cell.padStart(widths[column]) : cell.padEnd(widths[column]),
      )
      .join('  ');
  return [
    `Pages on the ${DEMO_COUNTRIES}-country demo: KB transferred on a first visit (empty cache) and a repeat`,
    `visit (cached), load event of the first visit at 400 kbps / 400 ms (English), axe (${AXE_TAGS.join(' ')}):`,
    line(header),
    ...rows.map(line),
  ].join('\n');
}

/** Each violation once per page: where it was found, its targets, its help. */
function violationReport(audited: AuditedPage[]): string {
  const found = new Map<
    string,
    { violation: AxeViolation; where: string[]; targets: Set<string> }
  >();
  for (const row of audited) {
    for (const violation of row.violations) {
      const key = `${row.page} · ${violation.id}`;
      const entry = found.get(key) ?? { violation, where: [], targets: new Set<string>() };
      entry.where.push(`${row.role} ${row.lang}`);
      violation.targets.forEach((target) => entry.targets.add(target));
      found.set(key, entry);
    }
  }
  const SHOWN_TARGETS = 10;
  const lines = [...found].map(([key, { violation, where, targets }]) => {
    const all = [...targets];
    const more = all.length > SHOWN_TARGETS ? [`    … and ${all.length - SHOWN_TARGETS} more`] : [];
    return [
      `${key} (${violation.impact}): ${violation.help}`,
      `  on: ${where.join(', ')}`,
      ...all.slice(0, SHOWN_TARGETS).map((target) => `    ${target}`),
      ...more,
    ].join('\n');
  });
  return lines.length === 0 ? 'axe: no violations\n' : `axe violations:\n${lines.join('\n')}\n`;
}
