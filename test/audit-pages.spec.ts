import { mkdirSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { formatMessage } from '../src/messages/catalog.js';
import { createProgramme, createStakeholder } from './factories/programmes.js';
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
import { parseCsv } from './support/file-readers.js';

const ZONE = 'Africa/Nairobi';

interface AuditItem {
  id: string;
  occurredAt: string;
  actorId: string | null;
  actorName: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  countryCode: string | null;
}

/** A day in Nairobi, `days` from today, as the date field writes it. */
function nairobiDay(days = 0): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: ZONE }).format(
    new Date(Date.now() + days * 86_400_000),
  );
}

describe('the audit trail page', () => {
  let t: TestApp;
  let staff: Staff;
  let browser: Browser;
  let baseUrl: string;
  /** An ITU project manager whose name a spreadsheet would run as a formula. */
  let formulaPm: TestUser;
  let kenya: { id: string };
  let ghana: { id: string };

  beforeAll(async () => {
    t = await startTestApp({ env: { PUBLIC_URL: 'http://127.0.0.1' } });
    staff = await createStaff(t.dataSource);
    formulaPm = await createUser(t.dataSource, { role: 'itu_pm' });
    await t.dataSource.query(`UPDATE users SET display_name = '=1+2 Formula' WHERE id = $1`, [
      formulaPm.id,
    ]);
    // Audited changes through the API: in Kenya by the administrator, elsewhere by others.
    kenya = await createProgramme(t, staff.admin, { countryCode: 'KE', cirtType: 'national' });
    const read = await client(t, staff.admin)('GET', `/api/v1/programmes/${kenya.id}`);
    const updated = await client(t, staff.admin)('PATCH', `/api/v1/programmes/${kenya.id}`, {
      version: read.json().version,
      title: 'Kenya national CIRT, renamed',
    });
    expect(updated.statusCode).toBe(200);
    await createStakeholder(t, staff.admin, 'KE');
    ghana = await createProgramme(t, staff.itu_pm, { countryCode: 'GH', cirtType: 'national' });
    await createProgramme(t, staff.itu_pm, { countryCode: 'FR', cirtType: 'national' });
    await createProgramme(t, formulaPm, { countryCode: 'KE', sector: 'energy' });
    await t.app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    browser = await launchChromium();
    mkdirSync(SCREENSHOTS, { recursive: true });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function signIn(user: TestUser, width = 1280): Promise<Page> {
    const page = await watchedPage(browser, {
      viewport: { width, height: 900 },
      baseURL: baseUrl,
      acceptDownloads: true,
      timezoneId: ZONE,
    });
    return signInThroughForm(page, user.email, TEST_PASSWORD, 'en');
  }

  async function api(user: TestUser, query: Record<string, string>): Promise<AuditItem[]> {
    const params = new URLSearchParams({ pageSize: '200', ...query });
    const response = await client(t, user)('GET', `/api/v1/audit?${params}`);
    expect(response.statusCode).toBe(200);
    return response.json().items;
  }

  /** The ids of the events the page lists, in its order. */
  const listed = (page: Page) =>
    page
      .locator('tr[data-event]')
      .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-event')!));

  const en = (key: string) => formatMessage('pages', 'en', key);

  it('should show an administrator every change in words, filtered by country, person and days, and export the same rows as the API', async () => {
    const page = await signIn(staff.admin);
    await page
      .getByRole('navigation', { name: 'Main navigation' })
      .getByRole('link', { name: 'Audit', exact: true })
      .click();
    await page.waitForURL('**/app/audit');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Audit trail');

    // In words: who, what, to which object (linked to its page), where.
    const all = await api(staff.admin, {});
    expect(await listed(page)).toEqual(all.slice(0, 50).map((item) => item.id));
    const updatedRow = page.locator(
      `tr[data-event="${all.find((item) => item.action === 'programme.updated')!.id}"]`,
    );
    await expect(updatedRow.locator('td').nth(1).textContent()).resolves.toBe('Test admin');
    await expect(updatedRow.locator('td').nth(2).textContent()).resolves.toBe('Programme updated');
    const objectLink = updatedRow.getByRole('link', {
      name: 'Kenya national CIRT, renamed',
      exact: true,
    });
    expect(await objectLink.getAttribute('href')).toBe(`/app/countries/KE?programme=${kenya.id}`);
    expect(
      await updatedRow.getByRole('link', { name: 'Kenya', exact: true }).getAttribute('href'),
    ).toBe('/app/countries/KE');
    expect(await page.locator('tr[data-event] td:nth-child(3)').allTextContents()).toEqual(
      expect.arrayContaining(['Programme created', 'Stakeholder added']),
    );
    // One object's events, from its row.
    await updatedRow.getByRole('link', { name: /Every event of this object/ }).click();
    await page.waitForURL(/entityId=/);
    const programmeEvents = await api(staff.admin, { entityType: 'programme', entityId: kenya.id });
    expect(programmeEvents.map((item) => item.action).sort()).toEqual([
      'programme.created',
      'programme.updated',
    ]);
    expect(await listed(page)).toEqual(programmeEvents.map((item) => item.id));
    expect(await page.getByLabel('Object id').inputValue()).toBe(kenya.id);
    await page.getByRole('link', { name: 'Show the events of every object' }).click();
    await page.waitForURL((url) => !url.search.includes('entityId'));
    expect(await listed(page)).toEqual(all.slice(0, 50).map((item) => item.id));
    await objectLink.click();
    await page.waitForURL(`**/app/countries/KE?programme=${kenya.id}`);
    await page.goBack();

    // By country.
    await page.getByLabel('Country').selectOption({ label: 'Ghana' });
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/countryCode=GH/);
    const ghanaEvents = await api(staff.admin, { countryCode: 'GH' });
    expect(ghanaEvents.length).toBeGreaterThan(0);
    expect(await listed(page)).toEqual(ghanaEvents.slice(0, 50).map((item) => item.id));
    expect(
      await page
        .getByRole('link', { name: /CIRT of Ghana/ })
        .first()
        .getAttribute('href'),
    ).toBe(`/app/countries/GH?programme=${ghana.id}`);

    // By person, in Kenya.
    await page.getByLabel('Country').selectOption({ label: 'Kenya' });
    await page.getByLabel('Person').selectOption({ label: `=1+2 Formula (${formulaPm.email})` });
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/actorId=/);
    const formulaEvents = await api(staff.admin, { countryCode: 'KE', actorId: formulaPm.id });
    expect(formulaEvents.length).toBeGreaterThan(0);
    expect(await listed(page)).toEqual(formulaEvents.slice(0, 50).map((item) => item.id));

    // By days in the reader's zone: today holds them all, tomorrow none.
    await page.getByLabel('Person').selectOption({ label: `Test admin (${staff.admin.email})` });
    await page.getByLabel('From (day)').fill(nairobiDay());
    await page.getByLabel('To (day, included)').fill(nairobiDay());
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/from=/);
    const filters = {
      countryCode: 'KE',
      actorId: staff.admin.id,
      from: `${nairobiDay()}T00:00:00+03:00`,
      to: `${nairobiDay(1)}T00:00:00+03:00`,
    };
    const adminInKenya = await api(staff.admin, filters);
    expect(adminInKenya.map((item) => item.action)).toEqual(
      expect.arrayContaining(['programme.created', 'programme.updated', 'stakeholder.created']),
    );
    expect(await listed(page)).toEqual(adminInKenya.slice(0, 50).map((item) => item.id));
    await saveScreenshot(page, 'audit-filtered-en-1280');

    // The export: the same rows as the API's, in words, with a header row.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download these events (CSV)' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^audit-\d{4}-\d{2}-\d{2}\.csv$/);
    const text = readFileSync((await download.path())!, 'utf8');
    expect(text.startsWith('\uFEFF')).toBe(true);
    const [header, ...rows] = parseCsv(text.slice(1));
    expect(header).toEqual([
      'Time (UTC)',
      'Person',
      'Person’s e-mail',
      'What was done',
      'Object',
      'Object id',
      'Country',
    ]);
    expect(rows).toEqual(
      adminInKenya.map((item) => [
        new Date(item.occurredAt).toISOString(),
        item.actorName,
        staff.admin.email,
        en(`action.${item.action}`),
        en(`auditObject.${item.entityType}`),
        item.entityId,
        'Kenya',
      ]),
    );

    // Tomorrow holds none.
    await page.getByLabel('From (day)').fill(nairobiDay(1));
    await page.getByLabel('To (day, included)').fill(nairobiDay(1));
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(new RegExp(`from=${nairobiDay(1)}`));
    expect(await listed(page)).toEqual([]);
    await expect(page.getByText('No event matches these filters.').count()).resolves.toBe(1);
    await page.close();
  }, 90_000);

  it('should export every row of a filter, batch after batch, and defuse cells a spreadsheet would run as formulas', async () => {
    // More events than one batch of the export reads (1,000): the file holds each once, in order.
    const bulk = await createUser(t.dataSource, { role: 'itu_pm' });
    await t.dataSource.query(
      `INSERT INTO audit_events (occurred_at, actor_id, action, entity_type, entity_id, country_code)
       SELECT now() - (2101 - n) * interval '1 second', $1, 'report.requested', 'report', 'bulk-' || n, NULL
       FROM generate_series(1, 2100) n`,
      [bulk.id],
    );
    const page = await signIn(staff.admin);
    const response = await page.request.get(`/app/audit.csv?actorId=${bulk.id}`);
    expect(response.status()).toBe(200);
    expect(response.headers()['content-disposition']).toMatch(/^attachment; filename="audit-/);
    const bulkRows = parseCsv((await response.text()).slice(1)).slice(1);
    expect(bulkRows.map((row) => row[5])).toEqual(
      Array.from({ length: 2100 }, (_, n) => `bulk-${2100 - n}`),
    );
    const total = await client(t, staff.admin)('GET', `/api/v1/audit?actorId=${bulk.id}`);
    expect(total.json().total).toBe(2100);

    const formula = await page.request.get(`/app/audit.csv?actorId=${formulaPm.id}`);
    const rows = parseCsv((await formula.text()).slice(1)).slice(1);
    const expected = await api(staff.admin, { actorId: formulaPm.id });
    expect(rows.map((row) => row[5])).toEqual(expected.map((item) => item.entityId));
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((row) => row[1] === "'=1+2 Formula")).toBe(true);
    await page.close();
  });

  it('should page through the trail with the filters kept', async () => {
    const page = await signIn(staff.admin);
    await page.goto('/app/audit?pageSize=2&countryCode=KE');
    const kenyaEvents = await api(staff.admin, { countryCode: 'KE' });
    expect(kenyaEvents.length).toBeGreaterThan(2);
    expect(await listed(page)).toEqual(kenyaEvents.slice(0, 2).map((item) => item.id));
    await page.getByRole('link', { name: 'Next' }).click();
    await page.waitForURL(/page=2/);
    expect(new URL(page.url()).searchParams.get('countryCode')).toBe('KE');
    expect(await listed(page)).toEqual(kenyaEvents.slice(2, 4).map((item) => item.id));
    await page.close();
  });

  it("should show a national team its own country's events only, as the API does", async () => {
    const page = await signIn(staff.national_team);
    await page
      .getByRole('navigation', { name: 'Main navigation' })
      .getByRole('link', { name: 'Audit', exact: true })
      .click();
    await page.waitForURL('**/app/audit');
    const own = await api(staff.national_team, {});
    expect(own.length).toBeGreaterThan(0);
    expect(own.every((item) => item.countryCode === 'KE')).toBe(true);
    expect(await listed(page)).toEqual(own.slice(0, 50).map((item) => item.id));
    // Its scope is one country: no country to choose; Ghana's changes are not there.
    expect(await page.getByLabel('Country').count()).toBe(0);
    expect(await page.getByText('CIRT of Ghana').count()).toBe(0);
    const response = await page.request.get('/app/audit.csv');
    const rows = parseCsv((await response.text()).slice(1)).slice(1);
    expect(rows.map((row) => row[5])).toEqual(own.map((item) => item.entityId));
    expect(new Set(rows.map((row) => row[6]))).toEqual(new Set(['Kenya']));
    await page.close();
  });

  it('should give observers, whom the API refuses the trail, no menu entry and a 403 page', async () => {
    expect((await client(t, staff.observer)('GET', '/api/v1/audit')).statusCode).toBe(403);
    const page = await signIn(staff.observer);
    expect(await page.getByRole('link', { name: 'Audit' }).count()).toBe(0);
    const response = await page.goto('/app/audit');
    expect(response!.status()).toBe(403);
    expect((await page.request.get('/app/audit.csv')).status()).toBe(403);
    await page.close();
  });

  it('should refuse bad filters with the page and the error at the field, not a server error', async () => {
    const page = await signIn(staff.admin);
    const badDay = await page.goto('/app/audit?from=2026-02-31');
    expect(badDay!.status()).toBe(400);
    const from = page.getByLabel('From (day)');
    expect(await from.getAttribute('aria-invalid')).toBe('true');
    const errorId = await from.getAttribute('aria-describedby');
    expect(await page.locator(`#${errorId}`).textContent()).toBe(
      'From (day) must be a calendar date YYYY-MM-DD',
    );

    await saveScreenshot(page, 'audit-refused-en-1280');
    expect(await axeViolations(page)).toEqual([]);

    const badActor = await page.goto('/app/audit?actorId=not-a-uuid');
    expect(badActor!.status()).toBe(400);
    expect(await page.getByLabel('Person').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('tr[data-event]').count()).toBe(0);

    const badSize = await page.goto('/app/audit?pageSize=5000');
    expect(badSize!.status()).toBe(400);
    expect(await page.locator('ul.field-error li').count()).toBe(1);

    const badExport = await page.request.get('/app/audit.csv?actorId=1%27%20OR%201=1');
    expect(badExport.status()).toBe(400);
    expect(badExport.headers()['content-type']).toContain('text/html');
    await page.close();
  });

  it('should read well in English and Arabic, on a wide screen and a phone, with no axe violation', async () => {
    const problems: string[] = [];
    for (const width of [1280, 390]) {
      const page = await signIn(staff.admin, width);
      for (const lang of ['en', 'ar']) {
        await page.goto(`/app/audit?lang=${lang}`);
        await saveScreenshot(page, `audit-${lang}-${width}`);
        const overflow = await page.evaluate(
          () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
        );
        if (overflow > 0) problems.push(`${lang} at ${width} px: ${overflow} px sideways`);
        for (const violation of await axeViolations(page)) {
          problems.push(`${lang} at ${width} px: ${violation.id} ${violation.targets.join(', ')}`);
        }
      }
      await page.close();
    }
    expect(problems).toEqual([]);
  }, 120_000);
});
