import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import {
  type Staff,
  TEST_PASSWORD,
  type TestUser,
  createStaff,
  createUser,
} from './factories/users.js';
import { launchChromium, signInThroughForm, watchedPage } from './support/chromium.js';
import { axeViolations } from './support/page-audit.js';
import { type TestApp, client, startTestApp } from './support/test-app.js';
import { SCREENSHOTS, saveScreenshot } from './support/screenshots.js';

interface ScheduleJson {
  id: string;
  cron: string;
  timezone: string;
  scope: { regionCode?: string; countryCodes?: string[] };
  formats: string[];
  recipients: string[];
  paused: boolean;
  pausedReason: string | null;
  createdBy: string;
}

/**
 * The report schedules page in a real browser: each task done by the role it is for, its effect
 * checked through the API; the refusals as a browser without JavaScript posts them.
 */
describe('report schedules page', () => {
  let t: TestApp;
  let staff: Staff;
  let browser: Browser;
  let baseUrl: string;
  /** People the forms offer as recipients: a Kenyan team member and a second AFR coordinator. */
  let kenyan: TestUser;
  let colleague: TestUser;
  let retired: TestUser;

  beforeAll(async () => {
    t = await startTestApp({ env: { PUBLIC_URL: 'http://127.0.0.1' } });
    staff = await createStaff(t.dataSource);
    kenyan = await createUser(t.dataSource, { role: 'national_team', countryCode: 'KE' });
    colleague = await createUser(t.dataSource, { role: 'regional_coordinator', regionCode: 'AFR' });
    retired = await createUser(t.dataSource, { role: 'itu_pm', disabled: true });
    await t.app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    browser = await launchChromium();
    mkdirSync(SCREENSHOTS, { recursive: true });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  /** Signs in through the login page, in a browser whose zone is Europe/Paris. */
  async function signIn(user: TestUser, width = 1280): Promise<Page> {
    const page = await watchedPage(browser, {
      viewport: { width, height: 900 },
      baseURL: baseUrl,
      timezoneId: 'Europe/Paris',
    });
    return signInThroughForm(page, user.email, TEST_PASSWORD);
  }

  /** Does what `act` does (a form's button) and waits for the page the browser is sent to. */
  async function submit(page: Page, act: () => Promise<void>): Promise<void> {
    const navigated = page.waitForNavigation();
    await act();
    await navigated;
  }

  const schedulesOf = async (user: TestUser): Promise<ScheduleJson[]> =>
    (await client(t, user)('GET', '/api/v1/report-schedules?pageSize=200')).json().items;
  const countSchedules = async () =>
    (await t.dataSource.query('SELECT count(*)::int AS n FROM report_schedules'))[0].n as number;
  const row = (page: Page, id: string) => page.locator(`tr[data-schedule="${id}"]`);

  /**
   * The page in English and Arabic, its folded forms open, at 1280 and 390 px: screenshots, and
   * what axe finds and how far it scrolls sideways on a 320 px phone, which should be nothing.
   */
  async function screenshots(page: Page, name: string): Promise<string[]> {
    const problems: string[] = [];
    for (const lang of ['en', 'ar']) {
      await page.goto(`/app/report-schedules?lang=${lang}`);
      await page
        .locator('details.edit')
        .evaluateAll((folded) => folded.forEach((details) => details.setAttribute('open', '')));
      for (const violation of await axeViolations(page)) {
        problems.push(`${name} ${lang}: ${violation.id} ${violation.targets.join(', ')}`);
      }
      for (const width of [1280, 390]) {
        await page.setViewportSize({ width, height: 900 });
        await saveScreenshot(page, `schedules-${name}-${lang}-${width}`);
      }
      await page.setViewportSize({ width: 320, height: 640 });
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      if (overflow > 0) problems.push(`${name} ${lang}: ${overflow} px sideways at 320 px`);
    }
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto('/app/report-schedules?lang=en');
    return problems;
  }

  it('should let an ITU PM schedule a weekly report in words, pause it with a reason, resume it and delete it', async () => {
    const page = await signIn(staff.itu_pm);
    await page.goto('/app/reports');
    await submit(page, () => page.getByRole('link', { name: /Schedule reports/ }).click());
    expect(new URL(page.url()).pathname).toBe('/app/report-schedules');
    // The browser's zone (app.js keeps it in a cookie) is the form's first choice.
    await page.reload();
    expect(await page.getByLabel('Time zone').inputValue()).toBe('Europe/Paris');
    // The ITU team picks among every registered user but the disabled.
    const offered = await page
      .locator('input[name="recipients[]"]')
      .evaluateAll((boxes) => boxes.map((box) => (box as HTMLInputElement).value));
    expect(offered).toEqual(
      expect.arrayContaining([
        staff.admin.email,
        kenyan.email,
        colleague.email,
        staff.observer.email,
      ]),
    );
    expect(offered).not.toContain(retired.email);

    await page.getByLabel('How often').selectOption('weekly');
    await page.getByLabel('Day of the week').selectOption({ label: 'Monday' });
    await page.getByLabel('Time', { exact: true }).selectOption({ label: '07:00' });
    await page.getByLabel('Time zone').selectOption('Africa/Nairobi');
    await page.getByLabel('Region', { exact: true }).selectOption({ label: 'Africa' });
    await page.getByLabel('PDF').check();
    await page.getByLabel('CSV').check();
    await page.getByLabel(staff.admin.email).check();
    await page.getByLabel(kenyan.email).check();
    await submit(page, () => page.getByRole('button', { name: 'Create the schedule' }).click());
    expect(await page.locator('#notice').textContent()).toContain('The schedule is created');

    const [created] = await schedulesOf(staff.itu_pm);
    expect(created).toMatchObject({
      cron: '0 7 * * 1',
      timezone: 'Africa/Nairobi',
      scope: { regionCode: 'AFR' },
      paused: false,
      createdBy: staff.itu_pm.id,
    });
    expect([...created.formats].sort()).toEqual(['csv', 'pdf']);
    expect([...created.recipients].sort()).toEqual([staff.admin.email, kenyan.email].sort());
    const listed = row(page, created.id);
    expect(await listed.textContent()).toMatch(/Every Monday at 07:00\s*\(Africa\/Nairobi\)/);
    expect(await listed.textContent()).toContain('None yet');
    expect(await listed.locator('td').nth(4).locator('time').count()).toBe(1);

    const reason = 'Year-end break';
    await listed.locator('summary', { hasText: 'Pause' }).click();
    await listed.getByLabel('Why (optional)').fill(reason);
    await submit(page, () => listed.getByRole('button', { name: 'Pause the schedule' }).click());
    expect(await page.locator('#notice').textContent()).toContain('The schedule is paused');
    expect(
      (await client(t, staff.itu_pm)('GET', `/api/v1/report-schedules/${created.id}`)).json(),
    ).toMatchObject({
      paused: true,
      pausedReason: reason,
      nextRunAt: null,
    });
    expect(await row(page, created.id).textContent()).toContain(`Paused: ${reason}`);

    await submit(page, () =>
      row(page, created.id)
        .getByRole('button', { name: /Resume/ })
        .click(),
    );
    expect(await page.locator('#notice').textContent()).toContain('The schedule is resumed');
    expect(
      (await client(t, staff.itu_pm)('GET', `/api/v1/report-schedules/${created.id}`)).json(),
    ).toMatchObject({
      paused: false,
      pausedReason: null,
    });

    // Deleting asks first, without a script: the button is behind "Delete".
    await row(page, created.id).locator('summary', { hasText: 'Delete' }).click();
    expect(await row(page, created.id).textContent()).toContain('Delete this schedule?');
    await submit(page, () =>
      row(page, created.id).getByRole('button', { name: 'Yes, delete it' }).click(),
    );
    expect(await page.locator('#notice').textContent()).toContain('The schedule is deleted');
    expect(
      (await client(t, staff.itu_pm)('GET', `/api/v1/report-schedules/${created.id}`)).statusCode,
    ).toBe(404);
    expect(await row(page, created.id).count()).toBe(0);
    await page.close();
  });

  it('should keep the words chosen and say why when a schedule without a recipient is refused, creating nothing', async () => {
    const page = await signIn(staff.itu_pm);
    await page.goto('/app/report-schedules');
    const before = await countSchedules();
    await page.getByLabel('How often').selectOption('monthly');
    await page.getByLabel('Day of the month').selectOption('15');
    await page.getByLabel('Time', { exact: true }).selectOption({ label: '09:00' });
    await page.getByLabel('Time zone').selectOption('Asia/Tokyo');
    const refused = page.waitForResponse(
      (response) =>
        response.request().method() === 'POST' && response.url().endsWith('/app/report-schedules'),
    );
    await submit(page, () => page.getByRole('button', { name: 'Create the schedule' }).click());
    expect((await refused).status()).toBe(400);
    expect(await page.locator('#schedule-recipients .field-error').textContent()).toBe(
      'Recipients must hold at least 1 item',
    );
    expect(await page.locator('#schedule-create .form-error').isVisible()).toBe(true);
    expect(await page.getByLabel('How often').inputValue()).toBe('monthly');
    expect(await page.getByLabel('Day of the month').inputValue()).toBe('15');
    expect(await page.getByLabel('Time', { exact: true }).inputValue()).toBe('9');
    expect(await page.getByLabel('Time zone').inputValue()).toBe('Asia/Tokyo');
    expect(await countSchedules()).toBe(before);
    await saveScreenshot(page, 'schedules-refused-en-1280');
    expect(await axeViolations(page)).toEqual([]);
    await page.close();
  });

  it('should let a coordinator schedule reports on their region only, picking among its people, and not pause', async () => {
    const page = await signIn(staff.regional_coordinator, 390);
    await page.goto('/app/report-schedules');
    // The region is theirs, not a choice.
    expect(await page.locator('select[name="scope.regionCode"]').count()).toBe(0);
    expect(await page.locator('#schedule-create').textContent()).toContain('Region: Africa');
    const offered = await page
      .locator('input[name="recipients[]"]')
      .evaluateAll((boxes) => boxes.map((box) => (box as HTMLInputElement).value));
    expect([...offered].sort()).toEqual(
      [
        staff.regional_coordinator.email,
        staff.national_team.email,
        kenyan.email,
        colleague.email,
      ].sort(),
    );
    await page.getByLabel('How often').selectOption('daily');
    await page.getByLabel('Time', { exact: true }).selectOption({ label: '18:00' });
    await page.getByLabel(colleague.email).check();
    await submit(page, () => page.getByRole('button', { name: 'Create the schedule' }).click());
    const [mine] = await schedulesOf(staff.regional_coordinator);
    expect(mine).toMatchObject({
      cron: '0 18 * * *',
      timezone: 'Europe/Paris',
      scope: { regionCode: 'AFR' },
      recipients: [colleague.email],
      createdBy: staff.regional_coordinator.id,
    });
    // Pausing is the ITU team's; deleting is offered.
    expect(await row(page, mine.id).locator('summary', { hasText: 'Pause' }).count()).toBe(0);
    expect(await row(page, mine.id).locator('summary', { hasText: 'Delete' }).count()).toBe(1);
    await page.close();

    // Another region, posted by hand, is out of their scope: 404, and nothing is made.
    const before = await countSchedules();
    const posted = await postForm(staff.regional_coordinator, '/app/report-schedules', {
      frequency: 'daily',
      weekday: '1',
      dayOfMonth: '1',
      hour: '6',
      timezone: 'UTC',
      'scope.regionCode': 'EUR',
      'formats[]': 'csv',
      'recipients[]': colleague.email,
    });
    expect(posted.statusCode).toBe(404);
    expect(posted.body).toContain('id="schedule-create"');
    expect(await countSchedules()).toBe(before);
  });

  it('should give observers no schedules page and no link to it', async () => {
    const page = await signIn(staff.observer);
    await page.goto('/app/reports');
    expect(await page.locator('a[href="/app/report-schedules"]').count()).toBe(0);
    const response = await page.goto('/app/report-schedules');
    expect(response?.status()).toBe(403);
    await page.close();
  });

  /** Posts a form as a browser without JavaScript does: url-encoded, with the CSRF token. */
  async function postForm(user: TestUser, url: string, fields: Record<string, string>) {
    const signedIn = await t.app.inject({
      method: 'POST',
      url: '/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        email: user.email,
        password: TEST_PASSWORD,
        next: '/',
      }).toString(),
    });
    const session = signedIn.cookies.find((cookie) => cookie.name === 'cirt_session')!;
    const cookie = `cirt_session=${session.value}`;
    const page = await t.app.inject({ method: 'GET', url: '/app/reports', headers: { cookie } });
    const csrf = /name="csrf-token" content="([^"]+)"/.exec(page.body)![1];
    return t.app.inject({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
      payload: new URLSearchParams({ _csrf: csrf, ...fields }).toString(),
    });
  }

  it('should refuse words that say no schedule, without JavaScript, naming the field and creating nothing', async () => {
    const before = await countSchedules();
    const refusedWords: Record<string, string>[] = [
      { frequency: 'hourly', hour: '7' },
      { frequency: 'daily', hour: '24' },
      { frequency: 'monthly', dayOfMonth: '31', hour: '7' },
      { frequency: 'weekly', weekday: 'monday', hour: '7' },
    ];
    for (const words of refusedWords) {
      const posted = await postForm(staff.admin, '/app/report-schedules', {
        ...words,
        timezone: 'UTC',
        'scope.regionCode': 'AFR',
        'formats[]': 'csv',
        'recipients[]': staff.admin.email,
      });
      expect([JSON.stringify(words), posted.statusCode]).toEqual([JSON.stringify(words), 400]);
      expect(posted.body).toContain('id="schedule-frequency-error"');
    }
    // A cron posted beside the words is not the form's: the words decide.
    const posted = await postForm(staff.admin, '/app/report-schedules', {
      cron: '0 * * * *',
      frequency: 'weekly',
      weekday: '5',
      dayOfMonth: '1',
      hour: '16',
      timezone: 'UTC',
      'scope.regionCode': 'AFR',
      'formats[]': 'csv',
      'recipients[]': staff.admin.email,
    });
    expect(posted.statusCode).toBe(303);
    expect(await countSchedules()).toBe(before + 1);
    const [latest] = await schedulesOf(staff.admin);
    expect(latest.cron).toBe('0 16 * * 5');
  });

  it('should say each schedule in words, or its pattern, with its last report, in English and Arabic on a wide screen and a phone', async () => {
    const pm = client(t, staff.itu_pm);
    const weekly = (
      await pm('POST', '/api/v1/report-schedules', {
        cron: '0 7 * * 1',
        timezone: 'Africa/Nairobi',
        scope: { regionCode: 'AFR' },
        formats: ['pdf', 'csv'],
        recipients: [staff.admin.email, kenyan.email],
      })
    ).json() as ScheduleJson;
    const custom = (
      await pm('POST', '/api/v1/report-schedules', {
        cron: '30 */2 * * 1-5',
        timezone: 'America/Argentina/Buenos_Aires',
        scope: { countryCodes: ['KE', 'GH'] },
        formats: ['xlsx'],
        recipients: [colleague.email],
      })
    ).json() as ScheduleJson;
    await pm('POST', `/api/v1/report-schedules/${custom.id}/pause`, {
      reason: 'Waiting for the new indicator set',
    });
    // A run of the weekly schedule, compiled.
    const [report] = await t.dataSource.query(
      `INSERT INTO reports (requested_by, scope, scope_key, formats, status, progress, schedule_id, scheduled_for, completed_at)
       VALUES ($1, '{"regionCode": "AFR"}', 'region:AFR', '{pdf,csv}', 'completed', 100, $2, now(), now()) RETURNING id`,
      [staff.itu_pm.id, weekly.id],
    );

    const page = await signIn(staff.itu_pm);
    await page.goto('/app/report-schedules');
    const weeklyRow = row(page, weekly.id);
    expect(await weeklyRow.textContent()).toContain('Ready');
    expect(
      await weeklyRow
        .locator('a[download]')
        .evaluateAll((links) => links.map((link) => link.getAttribute('href'))),
    ).toEqual([
      `/api/v1/reports/${report.id}/download?format=pdf`,
      `/api/v1/reports/${report.id}/download?format=csv`,
    ]);
    const customText = await row(page, custom.id).textContent();
    expect(customText).toContain('Cron pattern 30 */2 * * 1-5');
    expect(customText).toContain('Paused: Waiting for the new indicator set');
    await page.goto('/app/report-schedules?lang=ar');
    expect(await row(page, weekly.id).textContent()).toContain('كل يوم اثنين الساعة 07:00');
    const problems = await screenshots(page, 'itu_pm');
    await page.close();

    const coordinator = await signIn(staff.regional_coordinator);
    problems.push(...(await screenshots(coordinator, 'coordinator')));
    await coordinator.close();
    expect(problems).toEqual([]);
  }, 60_000);
});
