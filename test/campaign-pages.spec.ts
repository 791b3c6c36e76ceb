import type { AddressInfo } from 'node:net';
import { mkdirSync } from 'node:fs';
import { jest } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { createAssessment } from './factories/assessments.js';
import { createProgramme } from './factories/programmes.js';
import { type Staff, TEST_PASSWORD, type TestUser, createStaff } from './factories/users.js';
import { launchChromium, signInThroughForm, watchedPage } from './support/chromium.js';
import { axeViolations } from './support/page-audit.js';
import { SCREENSHOTS, saveScreenshot } from './support/screenshots.js';
import { type TestApp, startTestApp } from './support/test-app.js';

/**
 * A campaign launched from its page, in a real browser without JavaScript: the preview says what
 * the launch reaches and skips and writes nothing, the confirmation launches, and the campaign's
 * page shows its progress per region; in English on a desktop and in Arabic on a phone.
 */
describe('the campaigns page', () => {
  jest.setTimeout(90_000);
  let t: TestApp;
  let staff: Staff;
  let browser: Browser;
  let baseUrl: string;

  beforeAll(async () => {
    t = await startTestApp({ env: { PUBLIC_URL: 'http://127.0.0.1' } });
    staff = await createStaff(t.dataSource);
    await createProgramme(t, staff.admin, { countryCode: 'KE' });
    await createProgramme(t, staff.admin, { countryCode: 'SN' });
    const ghana = await createProgramme(t, staff.admin, { countryCode: 'GH' });
    await createAssessment(t, staff.admin, ghana.id, 'draft');
    await t.app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    browser = await launchChromium();
    mkdirSync(SCREENSHOTS, { recursive: true });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function signIn(user: TestUser, lang = 'en', width = 1280, scripts = false): Promise<Page> {
    const page = await watchedPage(browser, {
      viewport: { width, height: 900 },
      baseURL: baseUrl,
      javaScriptEnabled: scripts,
    });
    return signInThroughForm(page, user.email, TEST_PASSWORD, lang);
  }

  const campaigns = async () =>
    (await t.dataSource.query(`SELECT count(*)::int AS n FROM assessment_campaigns`))[0].n;

  it('should preview a launch without writing, launch it on confirmation, and show its progress', async () => {
    const page = await signIn(staff.itu_pm);
    await page.goto('/app/campaigns');
    await page.getByLabel('Title').fill('AFR readiness 2099');
    await page.getByLabel('Questionnaire').selectOption('itu-ncirt-readiness');
    await page.getByLabel('Region').selectOption('AFR');
    await page.getByLabel('Due date').fill('2099-06-30');
    await page.getByRole('button', { name: 'Preview' }).click();
    expect(await page.locator('#campaign-preview').textContent()).toContain(
      '“AFR readiness 2099” will start 2 drafts; 1 programme is skipped.',
    );
    expect(
      await page.getByText('Already has an open assessment of this questionnaire').count(),
    ).toBe(1);
    expect(await campaigns()).toBe(0);
    await saveScreenshot(page, 'campaign-preview-en-1280');

    await page.getByRole('button', { name: 'Launch: 2 drafts' }).click();
    expect(await page.locator('#notice').textContent()).toContain('The campaign is launched');
    expect(await campaigns()).toBe(1);
    await page.getByRole('link', { name: 'AFR readiness 2099' }).click();
    expect(await page.locator('h1').textContent()).toBe('AFR readiness 2099');
    expect(await page.locator('[data-laggard]').count()).toBe(2);
    const questionnaire = page.locator('[data-laggard="KE"] a[href^="/app/assessments/"]');
    expect(await questionnaire.count()).toBe(1);
    await saveScreenshot(page, 'campaign-progress-en-1280');
    await page.close();
  });

  it('should offer a coordinator the close button only on campaigns within their region', async () => {
    const launch = async (body: object) => {
      const response = await t.app.inject({
        method: 'POST',
        url: '/api/v1/assessment-campaigns',
        headers: { authorization: `Bearer ${await t.tokenFor(staff.itu_pm)}` },
        payload: { templateKey: 'cirt-maturity', dueDate: '2099-09-30', ...body },
      });
      expect(response.statusCode).toBe(201);
      return response.json().id as string;
    };
    await createProgramme(t, staff.admin, { countryCode: 'FR' });
    const everywhere = await launch({
      title: 'Maturity everywhere 2099',
      countryCodes: ['KE', 'FR'],
    });
    // Kenya has its draft from the first: Senegal's and Ghana's programmes are the ones reached.
    const africa = await launch({ title: 'AFR maturity 2099', regionCode: 'AFR' });
    const page = await signIn(staff.regional_coordinator);
    const closeButton = page.getByRole('button', { name: 'Close the campaign' });
    await page.goto(`/app/campaigns/${africa}`);
    expect(await closeButton.count()).toBe(1);
    // Kenya is theirs, France is not: the API refuses them the close, so the page does not offer it.
    await page.goto(`/app/campaigns/${everywhere}`);
    expect(await page.locator('h1').textContent()).toBe('Maturity everywhere 2099');
    expect(await closeButton.count()).toBe(0);
    await page.close();
  });

  it('should have no axe violation in English at 1280 px and in Arabic at 390 px', async () => {
    const [campaign] = await t.dataSource.query(
      `SELECT id FROM assessment_campaigns ORDER BY created_at LIMIT 1`,
    );
    const problems: string[] = [];
    for (const [lang, width] of [
      ['en', 1280],
      ['ar', 390],
    ] as const) {
      const page = await signIn(staff.itu_pm, lang, width, true);
      for (const url of ['/app/campaigns', `/app/campaigns/${campaign.id}`]) {
        await page.goto(url);
        await saveScreenshot(
          page,
          `campaign${url.endsWith('campaigns') ? 's' : ''}-${lang}-${width}`,
        );
        for (const violation of await axeViolations(page)) {
          problems.push(
            `${url} ${lang} at ${width} px: ${violation.id} ${violation.targets.join(', ')}`,
          );
        }
        expect(
          await page.evaluate(
            () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
          ),
        ).toBe(0);
      }
      await page.close();
    }
    expect(problems).toEqual([]);
  });
});
