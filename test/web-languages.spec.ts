/// <reference lib="dom" />
import { mkdirSync, readFileSync, readdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { AssessmentTemplate } from '../src/assessments/template.types.js';
import { DEMO_PASSWORD, DEMO_USERS, loadDemoPortfolio } from '../src/demo/demo-portfolio.js';
import { messageKeys, messageSource } from '../src/messages/catalog.js';
import { LOCALES, type Locale } from '../src/messages/locales.js';
import { PLAN } from '../src/milestones/milestone-title.js';
import { launchChromium, signInThroughForm } from './support/chromium.js';
import { SCREENSHOTS, saveScreenshot } from './support/screenshots.js';
import { type TestApp, startTestApp } from './support/test-app.js';

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const ARGUMENT = /\{[^{}]*(?:\{[^{}]*\}[^{}]*)*\}/;

/** A message's English as a pattern of a whole text: its arguments match anything. */
function englishPattern(source: string): RegExp {
  const literal = source.split(ARGUMENT).map((part) => escapeRegExp(part.trim()));
  return new RegExp(`^${literal.join('.*?')}$`);
}

/**
 * The English texts a message can show. A message that is one plural or select as a whole has no
 * text outside it, which as a pattern would match any text: its branches are its texts instead.
 */
function englishVariants(source: string): string[] {
  if (source.split(ARGUMENT).some((part) => part.trim())) return [source];
  return [...source.matchAll(/(?:=\d+|\w+)\s*\{([^{}]*)\}/g)].map(([, branch]) =>
    branch.replace(/#/g, '{count}'),
  );
}

/**
 * The English a page in another language must not show: every message of the pages catalog and
 * every text of the questionnaires and the default plan. Left out: what reads the same in the
 * language (codes such as CSV), and what holds no word of three letters.
 */
function englishTexts(locale: Locale): { text: string; pattern: RegExp }[] {
  const texts: { english: string; translated: string | undefined }[] = messageKeys('pages').map(
    (key) => ({
      english: messageSource('pages', 'en', key),
      translated: messageSource('pages', locale, key),
    }),
  );
  const folder = join(process.cwd(), 'src', 'assessments', 'templates');
  for (const file of readdirSync(folder)) {
    const template = JSON.parse(readFileSync(join(folder, file), 'utf8')) as AssessmentTemplate;
    const translation = template.translations?.[locale];
    texts.push({ english: template.title, translated: translation?.title });
    for (const [level, label] of Object.entries(template.scale))
      texts.push({ english: label, translated: translation?.scale?.[level] });
    for (const area of template.areas) {
      texts.push({ english: area.title, translated: translation?.areas?.[area.key] });
      for (const indicator of area.indicators)
        texts.push({
          english: indicator.title,
          translated: translation?.indicators?.[indicator.key],
        });
    }
  }
  for (const item of Object.values(PLAN).flat())
    texts.push({ english: item.title, translated: item.titles[locale] });
  return (
    texts
      .filter(({ english, translated }) => english !== translated && /[A-Za-z]{3}/.test(english))
      .flatMap(({ english }) => englishVariants(english))
      // Words of the text itself, not the names of its arguments.
      .filter((english) => /[A-Za-z]{3}/.test(english.split(ARGUMENT).join(' ')))
      .map((english) => ({ text: english, pattern: englishPattern(english) }))
  );
}

/** Every text node and every label-like attribute of the page, trimmed of separators. */
async function pageTexts(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const texts: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.parentElement?.closest('script, style, [hidden]')) continue;
      texts.push(node.textContent ?? '');
    }
    for (const element of document.querySelectorAll('[aria-label], [title], [placeholder]')) {
      for (const name of ['aria-label', 'title', 'placeholder']) {
        const value = element.getAttribute(name);
        if (value) texts.push(value);
      }
    }
    texts.push(document.title.replace(/ · cirt-tracker$/, ''));
    return texts
      .map((text) => text.replace(/^[\s·:()–-]+|[\s·:()–-]+$/g, ''))
      .filter((text) => text.length > 0);
  });
}

describe('every page in the six languages', () => {
  let t: TestApp;
  let browser: Browser;
  let baseUrl: string;
  let questionnaire: string;
  let campaign: string;

  beforeAll(async () => {
    t = await startTestApp({ env: { PUBLIC_URL: 'http://127.0.0.1' } });
    await loadDemoPortfolio(t.app, { countries: 40 });
    await t.app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    const [assessment] = await t.dataSource.query(
      `SELECT a.id FROM assessments a JOIN programmes p ON p.id = a.programme_id
       WHERE p.country_code = 'KE' ORDER BY a.created_at DESC LIMIT 1`,
    );
    questionnaire = `/app/assessments/${assessment.id}`;
    // A campaign, for its pages: the demo has none.
    const [pm] = await t.dataSource.query(`SELECT id FROM users WHERE email = $1`, [
      DEMO_USERS.pm.email,
    ]);
    const launched = await t.app.inject({
      method: 'POST',
      url: '/api/v1/assessment-campaigns',
      headers: { authorization: `Bearer ${await t.tokenFor(pm)}` },
      payload: { title: 'Maturity 2099', templateKey: 'cirt-maturity', dueDate: '2099-06-30' },
    });
    expect(launched.statusCode).toBe(201);
    campaign = `/app/campaigns/${launched.json().id}`;
    browser = await launchChromium();
    mkdirSync(join(SCREENSHOTS, 'languages'), { recursive: true });
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function signedIn(email: string, locale: Locale, width: number): Promise<Page> {
    const page = await browser.newPage({ viewport: { width, height: 900 }, baseURL: baseUrl });
    return signInThroughForm(page, email, DEMO_PASSWORD, locale);
  }

  const PAGES = [
    { name: 'portfolio', user: DEMO_USERS.pm, path: () => '/app/portfolio' },
    { name: 'queue', user: DEMO_USERS.pm, path: () => '/app/queue' },
    { name: 'reports', user: DEMO_USERS.pm, path: () => '/app/reports' },
    { name: 'country', user: DEMO_USERS.team, path: () => '/app/countries/KE' },
    { name: 'questionnaire', user: DEMO_USERS.team, path: () => questionnaire },
    { name: 'notifications', user: DEMO_USERS.team, path: () => '/app/notifications' },
    { name: 'campaigns', user: DEMO_USERS.pm, path: () => '/app/campaigns' },
    { name: 'campaign', user: DEMO_USERS.pm, path: () => campaign },
  ];

  for (const locale of LOCALES) {
    it(`should show the portfolio, a country, the questionnaire, My queue, the reports and the campaigns in ${locale}`, async () => {
      // In English, the same check must find the English texts: it would see a leak.
      const english = englishTexts(locale === 'en' ? 'ar' : locale);
      const leaks: string[] = [];
      for (const { name, user, path } of PAGES) {
        const widths = locale === 'ar' ? [1280, 390] : [1280];
        for (const width of widths) {
          const page = await signedIn(user.email, locale, width);
          try {
            await page.goto(path());
            const html = page.locator('html');
            expect(await html.getAttribute('lang')).toBe(locale);
            expect(await html.getAttribute('dir')).toBe(locale === 'ar' ? 'rtl' : 'ltr');
            await saveScreenshot(page, `languages/${name}-${locale}-${width}`, 2400);
            if (width !== 1280) continue;
            for (const text of await pageTexts(page)) {
              const found = english.find(({ pattern }) => pattern.test(text));
              if (found) leaks.push(`${name}: "${text}" (English "${found.text}")`);
              // A code left for the reader, such as conditionally_ready or event.transition_approved.
              const code = /(?<![\w@./-])[a-z]+(?:[._][a-z]+)*_[a-z]+(?![\w@./-])/.exec(text);
              if (code) leaks.push(`${name}: "${text}" (code ${code[0]})`);
            }
          } finally {
            await page.close();
          }
        }
      }
      if (locale === 'en') expect(leaks.length).toBeGreaterThan(100);
      else expect(leaks).toEqual([]);
    }, 120_000);
  }
});
