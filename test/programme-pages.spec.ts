import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { createAssessment } from './factories/assessments.js';
import { createProgramme, createStakeholder } from './factories/programmes.js';
import { uploadDocument } from './factories/documents.js';
import { type Staff, TEST_PASSWORD, type TestUser, createStaff } from './factories/users.js';
import { launchChromium, signInThroughForm, watchedPage } from './support/chromium.js';
import { axeViolations } from './support/page-audit.js';
import { type TestApp, client, startTestApp } from './support/test-app.js';
import { SCREENSHOTS, saveScreenshot } from './support/screenshots.js';

/**
 * Programmes administered on the pages, in Chromium, each task by the role that owns it and checked
 * through the API: an ITU project manager starts a programme, retitles it, holds, resumes and
 * cancels it; a national team starts an assessment on its own programme and is offered none of
 * the programme's own forms; the history names who asked and who decided, with their notes.
 */
describe('programme pages', () => {
  let t: TestApp;
  let staff: Staff;
  let browser: Browser;
  let baseUrl: string;
  let national: { id: string };

  beforeAll(async () => {
    t = await startTestApp({ env: { PUBLIC_URL: 'http://127.0.0.1' } });
    staff = await createStaff(t.dataSource);
    // Names a reader recognises, as the history shows them.
    for (const [user, name] of [
      [staff.itu_pm, 'Amina Odhiambo'],
      [staff.national_team, 'Peter Kamau'],
      [staff.admin, 'Lucía Fernández'],
    ] as const) {
      await t.dataSource.query('UPDATE users SET display_name = $2 WHERE id = $1', [user.id, name]);
    }
    national = await createProgramme(t, staff.admin, { countryCode: 'KE', cirtType: 'national' });
    await t.app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    browser = await launchChromium();
    mkdirSync(SCREENSHOTS, { recursive: true });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function signIn(user: TestUser, lang = 'en'): Promise<Page> {
    const page = await watchedPage(browser, {
      viewport: { width: 1280, height: 900 },
      baseURL: baseUrl,
    });
    return signInThroughForm(page, user.email, TEST_PASSWORD, lang);
  }

  /** The page in English and Arabic, at 1280 and 390 px, for the eye. */
  async function screenshots(page: Page, name: string, path: string): Promise<void> {
    for (const lang of ['en', 'ar']) {
      await page.goto(`${path}${path.includes('?') ? '&' : '?'}lang=${lang}`);
      for (const width of [1280, 390]) {
        await page.setViewportSize({ width, height: 900 });
        await saveScreenshot(page, `programme-${name}-${lang}-${width}`);
      }
    }
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${path}${path.includes('?') ? '&' : '?'}lang=en`);
  }

  /** The page as it is now (a refused form), at 1280 and 390 px. */
  async function screenshotHere(page: Page, name: string): Promise<void> {
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 });
      await saveScreenshot(page, `programme-${name}-${width}`);
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  }

  /** axe finds nothing on the page with every folded form open, and it fits a 320 px phone. */
  async function expectAccessible(page: Page): Promise<void> {
    await page.evaluate(() => {
      for (const details of document.querySelectorAll('details')) details.open = true;
    });
    expect(await axeViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 320, height: 640 });
    expect(
      await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      ),
    ).toBe(0);
    await page.setViewportSize({ width: 1280, height: 900 });
  }

  const api = (user: TestUser) => client(t, user);
  const programmeOf = async (id: string) =>
    (await api(staff.itu_pm)('GET', `/api/v1/programmes/${id}`)).json();
  const programmesIn = async (code: string) =>
    (await api(staff.itu_pm)('GET', `/api/v1/programmes?country=${code}&pageSize=100`)).json()
      .items as { id: string; title: string; status: string }[];

  it('should let an ITU project manager start, retitle, hold, resume and cancel a programme', async () => {
    const page = await signIn(staff.itu_pm);
    await page.goto('/app/portfolio');
    await page.getByRole('link', { name: 'New programme' }).click();
    await page.waitForURL('**/app/programmes/new');
    await screenshots(page, 'new', '/app/programmes/new');

    await page.getByLabel('Country', { exact: true }).selectOption('KE');
    await page.getByLabel('Sectoral', { exact: true }).check();
    await page.locator('#new-sector').fill('Energy');
    await page.getByLabel(/^Title of the programme/).fill('Energy CIRT of Kenya');
    await page.getByLabel(/^Start date/).fill('2026-03-01');
    await page.getByLabel('Target date', { exact: true }).fill('2028-06-30');
    await page.getByRole('button', { name: 'Start the programme' }).click();
    await page.waitForURL(/\/app\/countries\/KE\?programme=/);
    const id = new URL(page.url()).searchParams.get('programme')!;
    await expect(page.locator('#notice').textContent()).resolves.toContain(
      'The programme is started',
    );
    expect(await programmeOf(id)).toMatchObject({
      countryCode: 'KE',
      cirtType: 'sectoral',
      sector: 'Energy',
      title: 'Energy CIRT of Kenya',
      startDate: '2026-03-01',
      targetDate: '2028-06-30',
      status: 'active',
    });

    // Retitled, with a later target date.
    await page.getByText('Change the title or target date').click();
    await page.locator('#programme-title').fill('Energy sector CIRT of Kenya');
    await page.locator('#programme-target').fill('2029-01-31');
    await page.getByRole('button', { name: 'Save the programme' }).click();
    await page.waitForURL(/programme=/);
    await expect(page.locator('#programme-edit').textContent()).resolves.toContain(
      'The programme is saved.',
    );
    expect(await programmeOf(id)).toMatchObject({
      title: 'Energy sector CIRT of Kenya',
      targetDate: '2029-01-31',
    });

    // A form read before that change is refused, and the page says to reload the programme.
    const csrf = await page.locator('meta[name=csrf-token]').getAttribute('content');
    const stale = await page.request.post(`/app/countries/KE/programmes/${id}/edit`, {
      form: { _csrf: csrf!, version: '1', title: 'An older title', targetDate: '' },
      maxRedirects: 0,
    });
    expect(stale.status()).toBe(409);
    const refusal = (await stale.text()).replace(/\s+/g, ' ');
    expect(refusal).toContain('Energy sector CIRT of Kenya has changed since version 1');
    expect(refusal).toContain('Reload the programme to see the change made meanwhile');
    expect(await programmeOf(id)).toMatchObject({ title: 'Energy sector CIRT of Kenya' });

    // On hold, for a reason said in words, and shown on the workspace.
    await page.locator('details:has(#programme-hold) > summary').click();
    await page.getByLabel('Reason for the hold').selectOption('security');
    await page.locator('#programme-hold button[type=submit]').click();
    await page.waitForURL(/programme=/);
    expect(await programmeOf(id)).toMatchObject({ status: 'on_hold', holdReason: 'security' });
    await expect(page.locator('#programme-status').textContent()).resolves.toMatch(
      /On hold.*Security situation/,
    );
    // Held, it asks for no move forward; it is resumed first.
    expect(await page.locator('#transition-request').count()).toBe(0);
    await screenshots(page, 'on-hold', `/app/countries/KE?programme=${id}`);
    await expectAccessible(page);
    await page.reload();

    await page.getByRole('button', { name: 'Resume the programme' }).click();
    await page.waitForURL(/programme=/);
    expect(await programmeOf(id)).toMatchObject({ status: 'active', holdReason: null });

    // Without the box ticked (a page without the browser's check), nothing is cancelled.
    const unticked = await page.request.post(`/app/countries/KE/programmes/${id}/cancel`, {
      form: { _csrf: csrf!, version: String((await programmeOf(id)).version) },
      maxRedirects: 0,
    });
    expect(unticked.status()).toBe(400);
    expect(await unticked.text()).toContain('I understand: cancel this programme for good');
    expect(await programmeOf(id)).toMatchObject({ status: 'active' });

    await page.getByText('Cancel the programme', { exact: true }).first().click();
    await page.getByLabel('I understand: cancel this programme for good').check();
    await page.locator('#programme-cancel button[type=submit]').click();
    await page.waitForURL(/programme=/);
    expect(await programmeOf(id)).toMatchObject({ status: 'cancelled' });
    await expect(page.locator('#programme-status').textContent()).resolves.toContain('Cancelled');
    // Cancelled, it offers no form of its own any more.
    expect(await page.locator('#programme-edit, #programme-hold, #programme-cancel').count()).toBe(
      0,
    );

    // Its history says each change, by whom.
    const history = page.locator('section[aria-labelledby=history-title]');
    for (const text of [
      'Programme cancelled',
      'Resumed',
      'Put on hold: Security situation',
      'Target date set to',
      'Title changed to: Energy sector CIRT of Kenya',
      'Programme started (Sectoral CIRT): Energy CIRT of Kenya',
      'Amina Odhiambo',
    ]) {
      expect(await history.textContent()).toContain(text);
    }
    await page.close();
  }, 120_000);

  it('should refuse a second active programme of a kind at the form, keeping what was typed, creating nothing', async () => {
    const before = await programmesIn('KE');
    const page = await signIn(staff.itu_pm);
    await page.goto('/app/programmes/new');
    await page.getByLabel('Country', { exact: true }).selectOption('KE');
    await page.getByLabel('National', { exact: true }).check();
    await page.getByLabel(/^Title of the programme/).fill('A second national CIRT');
    const [answer] = await Promise.all([
      page.waitForResponse((response) => response.request().method() === 'POST'),
      page.getByRole('button', { name: 'Start the programme' }).click(),
    ]);
    expect(answer.status()).toBe(409);
    await expect(page.locator('#programme-new .form-error').textContent()).resolves.toContain(
      'Kenya already has an active National programme',
    );
    await expect(page.getByLabel(/^Title of the programme/).inputValue()).resolves.toBe(
      'A second national CIRT',
    );
    await expect(page.getByLabel('Country', { exact: true }).inputValue()).resolves.toBe('KE');
    expect(await programmesIn('KE')).toEqual(before);
    await screenshotHere(page, 'refused-en');
    // The same refusal in Arabic, for the eye.
    await page.goto('/app/programmes/new?lang=ar');
    await page.locator('#new-country').selectOption('KE');
    await page.locator('input[name=cirtType][value=national]').check();
    await page.locator('#new-title').fill('برنامج وطني ثان');
    await page.locator('#programme-new button[type=submit]').click();
    await page.locator('#programme-new .form-error').waitFor();
    await screenshotHere(page, 'refused-ar');
    await expectAccessible(page);
    expect(await programmesIn('KE')).toEqual(before);
    await page.close();
  });

  it("should let a national team start a maturity assessment on its own programme, offering it none of the programme's own forms", async () => {
    const page = await signIn(staff.national_team);
    await page.goto(`/app/countries/KE?programme=${national.id}`);
    expect(await page.locator('#programme-edit, #programme-hold, #programme-cancel').count()).toBe(
      0,
    );
    expect(await page.locator('#manage-title').count()).toBe(0);

    await page.getByText('Start an assessment', { exact: true }).first().click();
    await page.locator('#assessment-template').selectOption('cirt-maturity');
    await page.locator('#assessment-new button[type=submit]').click();
    await page.waitForURL(/\/app\/assessments\//);
    const assessmentId = new URL(page.url()).pathname.split('/').pop();
    await expect(page.locator('#notice').textContent()).resolves.toContain(
      'The assessment is started',
    );
    const listed = (
      await api(staff.national_team)('GET', `/api/v1/programmes/${national.id}/assessments`)
    ).json() as { id: string; templateKey: string; kind: string; status: string }[];
    expect(listed).toContainEqual(
      expect.objectContaining({
        id: assessmentId,
        templateKey: 'cirt-maturity',
        kind: 'maturity',
        status: 'draft',
      }),
    );
    await page.close();
  });

  it('should show every decision in the history, with its notes and the names of who asked and who decided', async () => {
    const programme = await createProgramme(t, staff.admin, {
      countryCode: 'KE',
      sector: 'finance',
    });
    // Two validated readiness assessments: two points of the trend.
    await createAssessment(t, staff.admin, programme.id, 'validated', () => 2);
    await createAssessment(t, staff.admin, programme.id, 'validated');
    await uploadDocument(t, staff.admin, programme.id, 'assessment_report');
    await t.dataSource.query(
      `UPDATE milestones SET status = 'done', completed_at = now() WHERE programme_id = $1`,
      [programme.id],
    );
    for (const role of ['national_focal_point', 'host_approver']) {
      await createStakeholder(t, staff.admin, 'KE', { role });
    }
    const requested = await api(staff.national_team)(
      'POST',
      `/api/v1/programmes/${programme.id}/transitions`,
      { toPhase: 'planning', note: 'The decree is signed' },
    );
    expect(requested.statusCode).toBe(201);
    const approved = await api(staff.itu_pm)(
      'POST',
      `/api/v1/transitions/${requested.json().id}/approve`,
      { note: 'Well prepared: go ahead' },
    );
    expect(approved.statusCode).toBe(200);

    const page = await signIn(staff.national_team);
    await page.goto(`/app/countries/KE?programme=${programme.id}`);
    const decision = page.locator(`[data-transition="${requested.json().id}"]`);
    const text = (await decision.textContent())!.replace(/\s+/g, ' ');
    expect(text).toContain('Move from Readiness assessment to Planning · approved');
    expect(text).toContain('requested by Peter Kamau');
    expect(text).toContain('The decree is signed');
    expect(text).toContain('approved by Amina Odhiambo');
    expect(text).toContain('Well prepared: go ahead');
    // The days in each phase, the first left, the second current.
    const periods = page.locator('.periods li');
    expect(await periods.count()).toBe(2);
    await expect(periods.nth(0).textContent()).resolves.toContain('Readiness assessment');
    await expect(periods.nth(1).textContent()).resolves.toContain('the current phase');
    // The validated readiness assessment's score in the trend, in words the page speaks.
    await expect(
      page.locator('[data-trend=readiness] .bar-chart caption').textContent(),
    ).resolves.toContain('Readiness score at each validated assessment');
    const bars = page.locator('[data-trend=readiness] .bar-chart tbody tr');
    expect(await bars.count()).toBe(2);
    await expect(bars.first().locator('th').textContent()).resolves.toMatch(
      /^Version 1\.0\.0, validated on /,
    );
    // Level 2 everywhere, then level 3: each area's score rose.
    await page.locator('[data-trend=readiness] .trend-areas > summary').click();
    const governance = page.locator('[data-trend=readiness] table.cards tbody tr').first();
    expect(
      await governance.locator('td').evaluateAll((cells) => cells.map((cell) => cell.textContent)),
    ).toEqual(['50', '75']);
    await screenshots(page, 'history', `/app/countries/KE?programme=${programme.id}`);
    await expectAccessible(page);
    await page.close();
  });
});
