import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { localDate } from '../src/common/dates.js';
import { createProgramme } from './factories/programmes.js';
import { type Staff, TEST_PASSWORD, createStaff } from './factories/users.js';
import { launchChromium, signInThroughForm, watchedPage } from './support/chromium.js';
import { axeViolations } from './support/page-audit.js';
import { SmtpSink } from './support/smtp-sink.js';
import { type TestApp, client, startTestApp } from './support/test-app.js';
import { waitFor } from './support/wait.js';
import { WebhookReceiver } from './support/webhook-receiver.js';
import { SCREENSHOTS, saveScreenshot } from './support/screenshots.js';

const WIDTHS = [1280, 390];

/**
 * The delivery log's tools on /app/notifications, driven in Chromium by the ITU project manager
 * who runs them: the reminder scan now, a test message through each channel, the log's filters
 * and retry; each checked through the API, the mail sink or the webhook receiver. A national
 * team reads the same page without the tools, and its posts are refused.
 */
describe('admin tools on the notifications page', () => {
  const sink = new SmtpSink();
  const receiver = new WebhookReceiver();
  let t: TestApp;
  let staff: Staff;
  let browser: Browser;
  let baseUrl: string;
  let programme: { id: string };
  let other: { id: string };
  let dead: { id: string };

  beforeAll(async () => {
    await sink.start();
    await receiver.start();
    // The receiver refuses: what it says is the test's result to show.
    receiver.status = 410;
    t = await startTestApp({
      env: {
        // Workers run here: the scan asked for on the page runs on one.
        PROCESS_ROLE: 'all',
        SMTP_URL: sink.url,
        WEBHOOK_ALLOW_PRIVATE: 'true',
        PUBLIC_URL: 'http://127.0.0.1',
        // No scheduled scan in the test's time: only the one asked for on the page.
        REMINDER_SCAN_CRON: '0 0 1 1 *',
        // The relay waits, so that a message sent again is seen pending.
        OUTBOX_RELAY_INTERVAL_MS: '600000',
      },
    });
    staff = await createStaff(t.dataSource);
    programme = await createProgramme(t, staff.admin, { countryCode: 'KE', cirtType: 'national' });
    other = await createProgramme(t, staff.admin, { countryCode: 'KE' });
    [dead] = await t.dataSource.query(
      `INSERT INTO notifications (kind, channel, recipient, subject, body_text, not_before, status,
                                  attempts, last_error, programme_id, country_code, dedupe_key)
       VALUES ('reminder.milestone_overdue', 'email', 'focal@example.org', 'Overdue', 'Overdue',
               now(), 'dead', 5, '550 mailbox unavailable', $1, 'KE', 'admin-tools-dead')
       RETURNING id`,
      [programme.id],
    );
    // More failed messages of another kind than one page of the log holds.
    await t.dataSource.query(
      `INSERT INTO notifications (kind, channel, recipient, subject, body_text, not_before, status,
                                  attempts, last_error, programme_id, country_code, dedupe_key)
       SELECT 'reminder.phase_aging', 'email', 'aging' || n || '@example.org', 'Aging', 'Aging',
              now() - interval '1 day', 'failed', 2, 'timeout', $1, 'KE', 'admin-tools-aging-' || n
       FROM generate_series(1, 55) AS n`,
      [other.id],
    );
    await t.app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    browser = await launchChromium();
    mkdirSync(SCREENSHOTS, { recursive: true });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await sink.stop();
    await receiver.stop();
  });

  async function signIn(email: string, javaScriptEnabled = true): Promise<Page> {
    const page = await watchedPage(browser, {
      viewport: { width: 1280, height: 900 },
      baseURL: baseUrl,
      javaScriptEnabled,
    });
    // A step that does not happen fails within the test's time, saying which.
    page.setDefaultTimeout(10_000);
    return signInThroughForm(page, email, TEST_PASSWORD, 'en');
  }

  /** The page as it is now at each width, down to 1,600 px, into the screenshots folder. */
  async function screenshot(page: Page, name: string): Promise<void> {
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 900 });
      await saveScreenshot(page, `${name}-${width}`, 1600);
      // Nothing scrolls sideways, on a phone either.
      expect(
        await page.evaluate(
          () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
        ),
      ).toBe(0);
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  }

  const logOf = async (query: string) =>
    (await client(t, staff.itu_pm)('GET', `/api/v1/notifications?${query}`)).json() as {
      total: number;
      items: { id: string; kind: string; status: string; recipient: string }[];
    };

  it('should run the reminder scan on a worker, whose reminders then reach the log', async () => {
    // A milestone due today in Nairobi, with an owner: its "due soon" step falls due today.
    const owner = (
      await client(t, staff.admin)('POST', '/api/v1/countries/KE/stakeholders', {
        name: 'Milestone Owner',
        email: 'owner@example.org',
        role: 'cirt_lead',
        locale: 'en',
      })
    ).json().id as string;
    const created = await client(t, staff.admin)(
      'POST',
      `/api/v1/programmes/${programme.id}/milestones`,
      {
        phase: 'readiness_assessment',
        title: 'Legal review',
        dueDate: localDate(new Date(), 'Africa/Nairobi'),
        ownerStakeholderId: owner,
      },
    );
    expect(created.statusCode).toBe(201);
    const dueSoon = `kind=reminder.milestone_due_soon&programmeId=${programme.id}`;
    expect((await logOf(dueSoon)).total).toBe(0);

    const page = await signIn(staff.itu_pm.email);
    await page.goto('/app/notifications');
    await page.getByRole('button', { name: 'Run the reminder scan now' }).click();
    await page.waitForURL('**/app/notifications');
    await expect(page.locator('#reminder-scan .notice.done').textContent()).resolves.toContain(
      'The reminders it writes appear in the delivery log below within a minute',
    );
    await screenshot(page, 'admin-scan-started-en');
    expect(await axeViolations(page)).toEqual([]);

    const written = await waitFor('the scan asked for on the page', async () => {
      const log = await logOf(dueSoon);
      return log.total > 0 && log;
    });
    expect(written.items.map((item) => item.recipient)).toContain('owner@example.org');
    // Reloaded, the log shows it, in words.
    await page.goto(`/app/notifications?programmeId=${programme.id}`);
    await expect(
      page.locator('tbody tr', { hasText: 'owner@example.org' }).first().textContent(),
    ).resolves.toContain('Milestone due soon');
    await page.close();
  }, 60_000);

  it('should send a test e-mail and show what the mail server answered', async () => {
    const page = await signIn(staff.itu_pm.email);
    await page.goto('/app/notifications?status=dead');
    await page.getByLabel('E-mail').fill('ops@example.org');
    await page.getByRole('button', { name: 'Send the test message' }).click();
    const result = page.locator('#test-result');
    await expect(result.getAttribute('data-delivered')).resolves.toBe('true');
    const text = (await result.textContent())!;
    expect(text).toContain('Test message (E-mail): delivered to');
    expect(text).toContain('ops@example.org');
    expect(text).toMatch(/The mail server answered: 250/);
    const mail = await waitFor('the test e-mail', () =>
      sink.received.find((received) => received.to.includes('ops@example.org')),
    );
    expect(mail.subject).toBe('cirt-tracker test message');
    await screenshot(page, 'admin-test-sent-en');
    // The log below is still the one that was filtered, and the address stays to try again.
    await expect(page.getByLabel('Status').inputValue()).resolves.toBe('dead');
    await expect(page.getByLabel('E-mail').inputValue()).resolves.toBe('ops@example.org');
    await page.close();
  }, 60_000);

  it("should show a failing webhook's error as the test's result, not as a refused form", async () => {
    const page = await signIn(staff.itu_pm.email);
    await page.goto('/app/notifications');
    await page.getByLabel('Webhook URL').fill(receiver.url);
    const answered = page.waitForResponse((response) =>
      response.url().endsWith('/app/notifications/test'),
    );
    await page.getByRole('button', { name: 'Send the test message' }).click();
    expect((await answered).status()).toBe(200);
    const result = page.locator('#test-result');
    await expect(result.getAttribute('data-delivered')).resolves.toBe('false');
    await expect(result.getAttribute('role')).resolves.toBe('alert');
    const text = (await result.textContent())!;
    expect(text).toContain('Test message (Webhook): could not be delivered to');
    expect(text).toContain(receiver.url);
    expect(text).toContain('HTTP 410: the receiver refused the message');
    expect(receiver.received).toHaveLength(1);
    await expect(page.locator('#test-message .form-error:not([hidden])').count()).resolves.toBe(0);
    await screenshot(page, 'admin-notifications-en');
    expect(await axeViolations(page)).toEqual([]);

    // Both channels at once is a refused form: nothing is sent, what was typed stays.
    await page.getByLabel('E-mail').fill('ops@example.org');
    await page.getByRole('button', { name: 'Send the test message' }).click();
    await expect(page.locator('#test-email-error').textContent()).resolves.toContain(
      'give either an e-mail address (email) or a webhook URL (webhookUrl), not both',
    );
    await expect(page.getByLabel('Webhook URL').inputValue()).resolves.toBe(receiver.url);
    await expect(page.locator('#test-result').count()).resolves.toBe(0);
    expect(receiver.received).toHaveLength(1);
    await page.close();
  }, 60_000);

  it('should filter the log by message and status, keep the filters in its pages, and retry a dead message', async () => {
    const page = await signIn(staff.itu_pm.email);
    await page.goto('/app/notifications');
    // The kinds are offered in words, grouped.
    await expect(
      page
        .locator('#filter-kind optgroup')
        .evaluateAll((groups) => groups.map((group) => group.getAttribute('label'))),
    ).resolves.toEqual(['Reminders', 'Notices of events', 'Reports']);

    await page
      .getByLabel('Message', { exact: true })
      .selectOption({ label: 'Long time in one phase' });
    await page.getByLabel('Status').selectOption({ label: 'Failed, trying again' });
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/kind=reminder\.phase_aging/);
    await expect(page.locator('#log-title').textContent()).resolves.toContain('(55)');
    const next = page.getByRole('link', { name: 'Next' });
    await expect(next.getAttribute('href')).resolves.toBe(
      '/app/notifications?status=failed&kind=reminder.phase_aging&page=2',
    );
    await next.click();
    await expect(page.locator('tbody tr').count()).resolves.toBe(5);
    await expect(page.getByLabel('Message', { exact: true }).inputValue()).resolves.toBe(
      'reminder.phase_aging',
    );

    await page.getByLabel('Message', { exact: true }).selectOption({ label: 'Milestone overdue' });
    await page.getByLabel('Status').selectOption({ label: 'Not delivered' });
    await page.getByLabel('Programme').selectOption(programme.id);
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/status=dead/);
    const rows = page.locator('tbody tr');
    await expect(rows.count()).resolves.toBe(1);
    await expect(rows.first().getAttribute('data-notification')).resolves.toBe(dead.id);
    await screenshot(page, 'admin-log-filtered-en');
    expect(await axeViolations(page)).toEqual([]);

    await rows.first().getByRole('button', { name: /Retry/ }).click();
    await page.waitForURL(
      `**/app/notifications?status=dead&kind=reminder.milestone_overdue&programmeId=${programme.id}`,
    );
    await expect(page.locator('#notice').textContent()).resolves.toContain(
      'The message is queued to be sent again.',
    );
    // Still filtered: the message is no longer dead, so the log says none matches.
    await expect(page.getByLabel('Status').inputValue()).resolves.toBe('dead');
    await expect(page.locator('#log-title + p').textContent()).resolves.toBe(
      'No message matches these filters.',
    );
    const retried = (await logOf('kind=reminder.milestone_overdue')).items.find(
      (item) => item.id === dead.id,
    );
    expect(retried?.status).toBe('pending');

    // The clear link takes every filter off.
    await page.getByRole('link', { name: 'Clear the filters' }).click();
    await page.waitForURL('**/app/notifications');
    await expect(page.getByLabel('Message', { exact: true }).inputValue()).resolves.toBe('');
    await page.close();
  }, 60_000);

  it('should work without JavaScript and in Arabic, right to left', async () => {
    const page = await signIn(staff.itu_pm.email, false);
    await page.goto('/app/notifications?lang=ar');
    await expect(page.locator('html').getAttribute('dir')).resolves.toBe('rtl');
    await page.locator('#test-webhook').fill(receiver.url);
    await page.locator('#test-message button[type=submit]').click();
    await page.waitForURL('**/app/notifications/test');
    await expect(page.locator('#test-result').getAttribute('data-delivered')).resolves.toBe(
      'false',
    );
    await expect(page.locator('#test-result').textContent()).resolves.toContain('تعذَّر تسليمها إلى');
    await screenshot(page, 'admin-notifications-ar');
    await page.locator('#reminder-scan button').click();
    await page.waitForURL('**/app/notifications');
    await expect(page.locator('#reminder-scan .notice.done').textContent()).resolves.toContain(
      'بدأ فحص التذكيرات',
    );
    await page.goto(`/app/notifications?kind=reminder.phase_aging&programmeId=${other.id}`);
    await screenshot(page, 'admin-log-filtered-ar');
    await page.goto('/app/notifications?lang=en');
    await page.close();
  }, 60_000);

  it('should show a national team no tools, and refuse its posts', async () => {
    const page = await signIn(staff.national_team.email);
    await page.goto('/app/notifications');
    await expect(page.locator('h1').textContent()).resolves.toContain('Kenya');
    await expect(page.locator('#reminder-scan, #test-message').count()).resolves.toBe(0);
    await expect(
      page.getByRole('button', { name: 'Run the reminder scan now' }).count(),
    ).resolves.toBe(0);
    // The filters are the same; the retry is not there.
    await expect(page.getByLabel('Message', { exact: true }).count()).resolves.toBe(1);
    await expect(page.locator('form[action*="/retry"]').count()).resolves.toBe(0);
    await screenshot(page, 'admin-team-en');
    expect(await axeViolations(page)).toEqual([]);

    // Posted anyway, as a form would, with the session's CSRF token: refused.
    const csrf = (await page.locator('meta[name="csrf-token"]').getAttribute('content'))!;
    const cookie = (await page.context().cookies())
      .map((item) => `${item.name}=${item.value}`)
      .join('; ');
    const sentBefore = sink.received.length;
    for (const [url, fields] of [
      ['/app/notifications/reminder-scan', {}],
      ['/app/notifications/test', { email: 'team@example.org' }],
    ] as const) {
      const response = await t.app.inject({
        method: 'POST',
        url,
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
        payload: new URLSearchParams({ _csrf: csrf, ...fields }).toString(),
      });
      expect([url, response.statusCode]).toEqual([url, 403]);
      expect(response.headers['content-type']).toContain('text/html');
    }
    expect(sink.received.length).toBe(sentBefore);
    await page.close();
  }, 60_000);
});
