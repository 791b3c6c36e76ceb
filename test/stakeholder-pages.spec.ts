import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { jest } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { STAKEHOLDER_ROLES } from '../src/stakeholders/stakeholder.constants.js';
import { createProgramme } from './factories/programmes.js';
import { type Staff, TEST_PASSWORD, type TestUser, createStaff } from './factories/users.js';
import { launchChromium, signInThroughForm, watchedPage } from './support/chromium.js';
import { axeViolations } from './support/page-audit.js';
import { type TestApp, client, startTestApp } from './support/test-app.js';
import { SCREENSHOTS } from './support/screenshots.js';

const WEBHOOK = 'https://hooks.example.org/cirt';
/** A stakeholder's folded forms. */
const EDIT = 'details.edit:not(.remove) > summary';
const REMOVE = 'details.remove > summary';
const ADD = 'details.add > summary';

interface Stakeholder {
  id: string;
  name: string;
  email: string;
  role: string;
  organisation: string | null;
  locale: string;
  timezone: string | null;
  webhookUrl: string | null;
  notify: boolean;
  webhookSecret?: string;
}

/**
 * A country's stakeholders on its workspace, in a real browser: the national team adds, edits and
 * removes them, sees a webhook's signing secret once, and each change is checked through the API.
 */
describe('stakeholders on the country workspace', () => {
  jest.setTimeout(90_000);
  let t: TestApp;
  let staff: Staff;
  let browser: Browser;
  let baseUrl: string;
  let sequence = 0;

  beforeAll(async () => {
    t = await startTestApp({ env: { PUBLIC_URL: 'http://127.0.0.1' } });
    staff = await createStaff(t.dataSource);
    await createProgramme(t, staff.admin, { countryCode: 'KE', cirtType: 'national' });
    await createProgramme(t, staff.admin, { countryCode: 'GH', cirtType: 'national' });
    await t.app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    browser = await launchChromium();
    mkdirSync(SCREENSHOTS, { recursive: true });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const stakeholdersOf = async (code: string): Promise<Stakeholder[]> =>
    (await client(t, staff.admin)('GET', `/api/v1/countries/${code}/stakeholders`)).json();
  const one = async (code: string, id: string) =>
    (await stakeholdersOf(code)).find((stakeholder) => stakeholder.id === id);
  const add = async (code: string, values: Partial<Stakeholder> = {}): Promise<Stakeholder> => {
    const response = await client(t, staff.admin)(
      'POST',
      `/api/v1/countries/${code}/stakeholders`,
      {
        name: `Person ${(sequence += 1)}`,
        email: `person.${sequence}@example.org`,
        role: 'cirt_lead',
        ...values,
      },
    );
    expect(response.statusCode).toBe(201);
    return response.json();
  };

  async function signIn(user: TestUser, width = 1280): Promise<Page> {
    const page = await watchedPage(browser, { viewport: { width, height: 900 }, baseURL: baseUrl });
    return signInThroughForm(page, user.email, TEST_PASSWORD, 'en');
  }

  const section = (page: Page) => page.locator('section[aria-labelledby="stakeholders-title"]');
  const entry = (page: Page, id: string) => page.locator(`li[data-stakeholder="${id}"]`);
  /** The answer of the form post that `submit` makes. */
  async function posting(page: Page, submit: () => Promise<void>) {
    const [response] = await Promise.all([
      page.waitForResponse((answer) => answer.request().method() === 'POST'),
      submit(),
    ]);
    await page.waitForLoadState('load');
    return response;
  }

  async function shoot(page: Page, name: string): Promise<void> {
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 });
      // Nothing scrolls sideways, whatever the width.
      expect(
        await page.evaluate(
          () => document.documentElement.scrollWidth <= document.documentElement.clientWidth,
        ),
      ).toBe(true);
      await section(page).screenshot({ path: `${SCREENSHOTS}/stakeholders-${name}-${width}.png` });
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  }

  it('should let the national team add a stakeholder with a webhook and show its secret once', async () => {
    const page = await signIn(staff.national_team);
    await page.goto('/app/countries/KE?lang=en');
    await section(page).locator(ADD).click();
    const form = page.locator('#stakeholder-new');
    // The roles offered are the API's, in words.
    expect(
      await form
        .locator('select[name=role] option')
        .evaluateAll((options) => options.map((option) => (option as HTMLOptionElement).value)),
    ).toEqual([...STAKEHOLDER_ROLES]);
    // The time zone starts as the country's.
    await expect(form.getByLabel(/Time zone/).inputValue()).resolves.toBe('Africa/Nairobi');
    await form.getByLabel('Name', { exact: true }).fill('Grace Wanjiru');
    await form.getByLabel('E-mail').fill('grace@ca.go.ke');
    await form.getByLabel('Role').selectOption({ label: 'Executive sponsor' });
    await form.getByLabel(/Organisation/).fill('Communications Authority of Kenya');
    await form.getByLabel('Language of their messages').selectOption({ label: 'Français' });
    await form.getByLabel(/Webhook address/).fill(`${WEBHOOK}/grace`);
    await expect(form.getByLabel('Send reminders to this person').isChecked()).resolves.toBe(true);
    const answer = await posting(page, () => form.getByRole('button').click());

    // The post's own answer shows the secret: not a redirect, so nothing can show it again.
    expect(answer.status()).toBe(201);
    const added = (await stakeholdersOf('KE')).find((s) => s.email === 'grace@ca.go.ke')!;
    expect(added).toMatchObject({
      name: 'Grace Wanjiru',
      role: 'executive_sponsor',
      organisation: 'Communications Authority of Kenya',
      locale: 'fr',
      timezone: 'Africa/Nairobi',
      webhookUrl: `${WEBHOOK}/grace`,
      notify: true,
    });
    expect(added).not.toHaveProperty('webhookSecret');
    const [{ secret }] = await t.dataSource.query(
      'SELECT webhook_secret AS secret FROM stakeholders WHERE id = $1',
      [added.id],
    );
    await expect(page.locator('code.secret').textContent()).resolves.toBe(secret);
    await expect(section(page).textContent()).resolves.toContain(
      'Copy it now: it will not be shown again.',
    );
    await expect(
      page.locator('.shown-once').evaluate((box) => box === document.activeElement),
    ).resolves.toBe(true);
    await shoot(page, 'secret-en');

    // Reloading (the browser posts again: the same person is refused) or coming back shows it no more.
    await page.reload();
    expect(await page.content()).not.toContain(secret);
    await page.goto('/app/countries/KE');
    expect(await page.content()).not.toContain(secret);
    await expect(entry(page, added.id).textContent()).resolves.toMatch(
      /Grace Wanjiru.*Executive sponsor.*Communications Authority of Kenya.*grace@ca\.go\.ke.*Language: French.*Time zone: Africa\/Nairobi.*Reminders: on.*Webhook: set/s,
    );
    expect((await stakeholdersOf('KE')).filter((s) => s.email === 'grace@ca.go.ke')).toHaveLength(
      1,
    );
    await page.close();
  });

  it('should let the national team change the organisation, clear the time zone and stop the reminders', async () => {
    const person = await add('KE', {
      organisation: 'Old Org',
      timezone: 'Europe/Zurich',
      webhookUrl: `${WEBHOOK}/keep`,
    });
    const page = await signIn(staff.national_team);
    await page.goto('/app/countries/KE');
    const item = entry(page, person.id);
    await item.locator(EDIT).click();
    const form = page.locator(`#stakeholder-edit-${person.id}`);
    await expect(form.getByLabel('Name', { exact: true }).inputValue()).resolves.toBe(person.name);
    await expect(form.getByLabel(/Time zone/).inputValue()).resolves.toBe('Europe/Zurich');
    await form.getByLabel(/Organisation/).fill('New Org');
    await form.getByLabel(/Time zone/).fill('');
    await form.getByLabel('Send reminders to this person').uncheck();
    const answer = await posting(page, () => form.getByRole('button', { name: 'Save' }).click());
    expect(answer.status()).toBe(303);
    expect(await one('KE', person.id)).toMatchObject({
      name: person.name,
      email: person.email,
      organisation: 'New Org',
      timezone: null,
      notify: false,
      // Its webhook stays, and its secret was given when it was set: none is shown now.
      webhookUrl: `${WEBHOOK}/keep`,
    });
    await expect(page.locator('code.secret').count()).resolves.toBe(0);
    await expect(entry(page, person.id).textContent()).resolves.toMatch(
      /New Org.*Time zone: Africa\/Nairobi \(the country's\).*Reminders: off/s,
    );
    await expect(page.getByText('The stakeholder is saved.').isVisible()).resolves.toBe(true);

    // The form stays open with its confirmation. Ticked again, the reminders come back; emptied,
    // the organisation goes.
    await expect(form.isVisible()).resolves.toBe(true);
    await form.getByLabel('Send reminders to this person').check();
    await form.getByLabel(/Organisation/).fill('');
    await posting(page, () => form.getByRole('button', { name: 'Save' }).click());
    expect(await one('KE', person.id)).toMatchObject({ organisation: null, notify: true });
    await page.close();
  });

  it('should show the secret of a webhook first set on an edit, once, on a 200 page (in Arabic)', async () => {
    const person = await add('KE');
    const page = await signIn(staff.national_team);
    await page.goto('/app/countries/KE?lang=ar');
    await entry(page, person.id).locator(EDIT).click();
    const form = page.locator(`#stakeholder-edit-${person.id}`);
    await form.locator('input[name=webhookUrl]').fill(`${WEBHOOK}/later`);
    const answer = await posting(page, () => form.locator('button[type=submit]').click());
    expect(answer.status()).toBe(200);
    const [{ secret }] = await t.dataSource.query(
      'SELECT webhook_secret AS secret FROM stakeholders WHERE id = $1',
      [person.id],
    );
    await expect(page.locator('code.secret').textContent()).resolves.toBe(secret);
    await expect(section(page).textContent()).resolves.toContain('انسخه الآن: لن يُعرض مرة أخرى.');
    await shoot(page, 'secret-ar');
    await page.goto('/app/countries/KE?lang=en');
    expect(await page.content()).not.toContain(secret);
    expect(await one('KE', person.id)).toMatchObject({ webhookUrl: `${WEBHOOK}/later` });
    await page.close();
  });

  it('should remove a stakeholder after a confirmation that needs no script', async () => {
    const kept = await add('KE');
    const leaving = await add('KE', { name: 'Leaving Person' });
    const page = await signIn(staff.national_team);
    await page.goto('/app/countries/KE');
    await entry(page, leaving.id).locator(REMOVE).click();
    await expect(entry(page, leaving.id).textContent()).resolves.toContain(
      // The name isolated, so that it keeps its direction in a sentence of the other one.
      'Remove \u2068Leaving Person\u2069 from the stakeholders?',
    );
    const answer = await posting(page, () =>
      entry(page, leaving.id)
        .getByRole('button', { name: /^Yes, remove \W?Leaving Person\W?$/ })
        .click(),
    );
    expect(answer.status()).toBe(303);
    const ids = (await stakeholdersOf('KE')).map((s) => s.id);
    expect(ids).toContain(kept.id);
    expect(ids).not.toContain(leaving.id);
    await expect(page.getByText('The stakeholder is removed.').isVisible()).resolves.toBe(true);
    await expect(entry(page, leaving.id).count()).resolves.toBe(0);
    await page.close();
  });

  it('should refuse a bad e-mail with the page again, the error at the field, and add nothing', async () => {
    const before = await stakeholdersOf('KE');
    const page = await signIn(staff.national_team);
    await page.goto('/app/countries/KE');
    await section(page).locator(ADD).click();
    const form = page.locator('#stakeholder-new');
    await form.getByLabel('Name', { exact: true }).fill('Nobody Valid');
    // The browser takes it (no dot needed), the API does not.
    await form.getByLabel('E-mail').fill('nobody@nowhere');
    await form.getByLabel(/Webhook address/).fill(`${WEBHOOK}/nobody`);
    const answer = await posting(page, () => form.getByRole('button').click());
    expect(answer.status()).toBe(400);
    const refused = page.locator('#stakeholder-new');
    await expect(refused.locator('#stakeholder-email-new-error').textContent()).resolves.toMatch(
      /E-mail/,
    );
    await expect(refused.getByLabel('E-mail').getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(refused.getByLabel('Name', { exact: true }).inputValue()).resolves.toBe(
      'Nobody Valid',
    );
    await expect(refused.getByLabel(/Webhook address/).inputValue()).resolves.toBe(
      `${WEBHOOK}/nobody`,
    );
    await expect(page.locator('code.secret').count()).resolves.toBe(0);
    expect(await stakeholdersOf('KE')).toEqual(before);
    await shoot(page, 'refused-en');
    await page.close();
  });

  it('should show the list but no form to a coordinator, and no stakeholders to an observer', async () => {
    const person = await add('KE');
    const coordinator = await signIn(staff.regional_coordinator);
    await coordinator.goto('/app/countries/KE');
    await expect(entry(coordinator, person.id).isVisible()).resolves.toBe(true);
    await expect(section(coordinator).locator('form, details').count()).resolves.toBe(0);
    await coordinator.close();

    const observer = await signIn(staff.observer);
    await observer.goto('/app/countries/KE');
    await expect(observer.locator('form[action*="/stakeholders"]').count()).resolves.toBe(0);
    await expect(observer.getByText('Add a stakeholder').count()).resolves.toBe(0);
    await observer.close();
  });

  it("should answer 404 to the national team posting to another country's stakeholder, and change nothing", async () => {
    const ghanaian = await add('GH', { organisation: 'Ghana Org' });
    const before = await stakeholdersOf('GH');
    const page = await signIn(staff.national_team);
    await page.goto('/app/countries/KE');
    const csrf = await page.locator('meta[name="csrf-token"]').getAttribute('content');
    const post = (url: string, form: Record<string, string> = {}) =>
      page.request.post(url, { form: { _csrf: csrf!, ...form }, maxRedirects: 0 });
    const edit = { organisation: 'Taken over', notify: 'false' };
    const statuses = [
      (await post(`/app/countries/KE/stakeholders/${ghanaian.id}`, edit)).status(),
      (await post(`/app/countries/GH/stakeholders/${ghanaian.id}`, edit)).status(),
      (await post(`/app/countries/KE/stakeholders/${ghanaian.id}/remove`)).status(),
      (await post(`/app/countries/GH/stakeholders/${ghanaian.id}/remove`)).status(),
      (
        await post('/app/countries/GH/stakeholders', {
          name: 'Intruder',
          email: 'intruder@example.org',
          role: 'donor',
        })
      ).status(),
      // A stakeholder's address that is no id at all.
      (await post('/app/countries/KE/stakeholders/not-an-id', edit)).status(),
    ];
    expect(statuses).toEqual([404, 404, 404, 404, 404, 400]);
    expect(await stakeholdersOf('GH')).toEqual(before);
    await page.close();
  });

  it('should refuse, without a script, a reminders value that is not one and a body on the remove button', async () => {
    const person = await add('KE', { organisation: 'Stays' });
    const page = await signIn(staff.national_team);
    await page.goto('/app/countries/KE');
    const csrf = (await page.locator('meta[name="csrf-token"]').getAttribute('content'))!;
    const post = (url: string, form: Record<string, string>) =>
      page.request.post(url, { form: { _csrf: csrf, ...form }, maxRedirects: 0 });
    const edit = await post(`/app/countries/KE/stakeholders/${person.id}`, {
      organisation: 'Changed',
      notify: 'yes',
    });
    expect(edit.status()).toBe(400);
    expect(await edit.text()).toContain('id="stakeholder-edit-');
    const remove = await post(`/app/countries/KE/stakeholders/${person.id}/remove`, {
      name: 'x',
    });
    expect(remove.status()).toBe(400);
    expect(await one('KE', person.id)).toMatchObject({ organisation: 'Stays', notify: true });
    await page.close();
  });

  it('should look right and pass axe with its forms open, in English and Arabic', async () => {
    await add('KE', { name: 'Amina Odhiambo', organisation: 'KE-CIRT', webhookUrl: WEBHOOK });
    for (const lang of ['en', 'ar']) {
      const page = await signIn(staff.national_team);
      await page.goto(`/app/countries/KE?lang=${lang}`);
      await section(page)
        .locator('details')
        .evaluateAll((all) =>
          all.forEach((details) => ((details as HTMLDetailsElement).open = true)),
        );
      expect(await axeViolations(page)).toEqual([]);
      // The first stakeholder's forms and the add form, open.
      await section(page)
        .locator('details')
        .evaluateAll((all) =>
          all.forEach((details, index) => {
            (details as HTMLDetailsElement).open = index < 2 || details.classList.contains('add');
          }),
        );
      await shoot(page, lang);
      if (lang === 'ar') {
        await expect(page.locator('html').getAttribute('dir')).resolves.toBe('rtl');
      }
      await page.close();
    }
  });
});
