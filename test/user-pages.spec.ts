import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Browser, Page, Response } from 'playwright-core';
import { type Staff, TEST_PASSWORD, createStaff, createUser } from './factories/users.js';
import { launchChromium, signInThroughForm, watchedPage } from './support/chromium.js';
import { axeViolations } from './support/page-audit.js';
import { type TestApp, bearer, client, startTestApp } from './support/test-app.js';
import { SCREENSHOTS, saveScreenshot } from './support/screenshots.js';

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

/**
 * User administration in a real browser, each task done by the role that owns it and checked
 * through the API: an administrator creates, filters, changes, disables, enables, resets and
 * revokes; an itu_pm manages the roles below its own only; a national team has no such page.
 */
describe('user pages', () => {
  let t: TestApp;
  let staff: Staff;
  let browser: Browser;
  let baseUrl: string;
  let admin: ReturnType<typeof client>;
  /** The national team user the administrator creates, and changes test after test. */
  let amina: { id: string; email: string };
  let password = 'amina initial 2026';

  beforeAll(async () => {
    t = await startTestApp({ env: { PUBLIC_URL: 'http://127.0.0.1' } });
    staff = await createStaff(t.dataSource);
    admin = client(t, staff.admin);
    await t.app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    browser = await launchChromium();
    mkdirSync(SCREENSHOTS, { recursive: true });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  /** Signs in on the sign-in page; the page fails its test on a 5xx, a script error or CSP. */
  async function signIn(email: string, javaScriptEnabled = true): Promise<Page> {
    const page = await watchedPage(browser, {
      viewport: { width: 1280, height: 900 },
      baseURL: baseUrl,
      javaScriptEnabled,
    });
    return signInThroughForm(page, email, TEST_PASSWORD, 'en');
  }

  /** Clicks and waits for the answer to the form's post (a 303's page, or the refusal). */
  async function submit(page: Page, click: () => Promise<void>): Promise<Response> {
    const [response] = await Promise.all([
      page.waitForResponse((answer) => answer.request().method() === 'POST'),
      click(),
    ]);
    await page.waitForLoadState();
    return response;
  }

  const user = async (id: string) => (await admin('GET', `/api/v1/users/${id}`)).json();
  const login = async (email: string, secret: string) =>
    (
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email, password: secret },
      })
    ).statusCode;
  const userCount = async () =>
    (await t.dataSource.query('SELECT count(*)::int AS n FROM users'))[0].n as number;

  /**
   * The page as it is, at both widths, with the 320 px check and axe (which needs the page's
   * JavaScript: not on a page without it): what is wrong with it.
   */
  async function shoot(page: Page, name: string, lang: string, axe = true): Promise<string[]> {
    const problems: string[] = [];
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 });
      await saveScreenshot(page, `users-${name}-${lang}-${width}`);
    }
    for (const violation of axe ? await axeViolations(page) : [])
      problems.push(`${name} ${lang}: ${violation.id} ${violation.targets.join(', ')}`);
    await page.setViewportSize({ width: 320, height: 640 });
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    if (overflow > 0) problems.push(`${name} ${lang}: ${overflow} px sideways at 320 px`);
    await page.setViewportSize({ width: 1280, height: 900 });
    return problems;
  }

  /** The page opened again in English and in Arabic, shot and checked in each. */
  async function look(page: Page, name: string, axe = true): Promise<string[]> {
    const problems: string[] = [];
    const url = new URL(page.url());
    for (const lang of ['en', 'ar']) {
      url.searchParams.set('lang', lang);
      await page.goto(url.pathname + url.search);
      problems.push(...(await shoot(page, name, lang, axe)));
    }
    url.searchParams.set('lang', 'en');
    await page.goto(url.pathname + url.search);
    return problems;
  }

  it('should let an administrator create a national team user for Kenya with an initial password', async () => {
    const page = await signIn(staff.admin.email);
    await page.goto('/app/users');
    await page.getByRole('link', { name: 'New user' }).click();
    await page.waitForURL('**/app/users/new');
    const email = `amina.${Date.now()}@cert.go.ke`;
    await page.getByLabel('E-mail', { exact: true }).fill(email);
    await page.getByLabel('Name', { exact: true }).fill('Amina Odhiambo');
    // With the script, the country shows once the role needs it, and the region never does.
    await expect(page.getByLabel(/^Region/).isVisible()).resolves.toBe(false);
    await page.getByLabel('Role', { exact: true }).selectOption({ label: 'National team' });
    await page.getByLabel(/^Country/).selectOption({ label: 'Kenya' });
    await expect(page.getByLabel(/^Region/).isVisible()).resolves.toBe(false);
    await page.getByLabel('Language of pages and e-mails').selectOption('fr');
    await page.getByLabel('Initial password').fill(password);
    const created = await submit(page, () =>
      page.getByRole('button', { name: 'Create the user' }).click(),
    );
    expect(created.status()).toBe(303);
    expect(page.url()).toMatch(new RegExp(`/app/users/${UUID}$`));
    await expect(page.locator('#notice').textContent()).resolves.toContain('The user is created');
    const id = page.url().split('/').pop()!;
    amina = { id, email };
    expect(await user(id)).toMatchObject({
      email,
      displayName: 'Amina Odhiambo',
      role: 'national_team',
      countryCode: 'KE',
      regionCode: null,
      locale: 'fr',
      disabled: false,
    });
    expect(await login(email, password)).toBe(200);
    const problems = await look(page, 'user');
    await page.goto('/app/users/new');
    problems.push(...(await look(page, 'new')));
    expect(problems).toEqual([]);
    await page.close();
  }, 90_000);

  it('should filter the list by role and country, as the API does', async () => {
    const page = await signIn(staff.admin.email);
    await page.goto('/app/users');
    await page.getByLabel('Role', { exact: true }).selectOption({ label: 'National team' });
    await page.getByLabel('Country').selectOption({ label: 'Kenya' });
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/role=national_team/);
    expect(new URL(page.url()).searchParams.get('countryCode')).toBe('KE');
    const shown = await page
      .locator('#user-table tbody tr')
      .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-user')).sort());
    const listed = (await admin('GET', '/api/v1/users?role=national_team&countryCode=KE')).json();
    expect(shown).toEqual(listed.items.map((item: { id: string }) => item.id).sort());
    expect(shown).toEqual([amina.id, staff.national_team.id].sort());
    await expect(page.locator(`tr[data-user="${amina.id}"]`).textContent()).resolves.toMatch(
      /Amina Odhiambo.*National team.*Kenya.*Active/s,
    );

    // The region filter finds the region's people, coordinators and teams; the state, the disabled.
    await page.goto('/app/users?regionCode=AFR&disabled=false');
    const african = await page
      .locator('#user-table tbody tr')
      .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-user')));
    expect(african).toEqual(
      expect.arrayContaining([amina.id, staff.national_team.id, staff.regional_coordinator.id]),
    );
    expect(african).not.toContain(staff.observer.id);
    expect(await look(page, 'list')).toEqual([]);
    await page.close();
  }, 90_000);

  it("should change the user's role to regional coordinator for Africa", async () => {
    const page = await signIn(staff.admin.email);
    await page.goto(`/app/users/${amina.id}`);
    await page.getByLabel('Role', { exact: true }).selectOption({ label: 'Regional coordinator' });
    await expect(page.getByLabel(/^Country/).isVisible()).resolves.toBe(false);
    await page.getByLabel(/^Region/).selectOption({ label: 'Africa' });
    const saved = await submit(page, () =>
      page.getByRole('button', { name: 'Save', exact: true }).click(),
    );
    expect(saved.status()).toBe(303);
    await expect(page.locator('#user-edit').textContent()).resolves.toContain(
      'The changes are saved.',
    );
    expect(await user(amina.id)).toMatchObject({
      role: 'regional_coordinator',
      regionCode: 'AFR',
      countryCode: null,
    });
    await page.close();
  }, 60_000);

  it('should show a role change refused without JavaScript at its field, changing nothing', async () => {
    const page = await signIn(staff.admin.email, false);
    await page.goto(`/app/users/${amina.id}`);
    // Both scopes are shown without the script; a coordinator with a country is refused.
    await page.getByLabel(/^Country/).selectOption({ label: 'Ghana' });
    const refused = await submit(page, () =>
      page.getByRole('button', { name: 'Save', exact: true }).click(),
    );
    expect(refused.status()).toBe(400);
    await expect(page.locator('#edit-country-error').textContent()).resolves.toContain(
      'Regional coordinator',
    );
    await expect(page.getByLabel(/^Country/).inputValue()).resolves.toBe('GH');
    expect(await user(amina.id)).toMatchObject({ countryCode: null, regionCode: 'AFR' });
    await page.close();
  }, 60_000);

  it('should disable the user after a confirmation, so that they cannot sign in, then enable them', async () => {
    const page = await signIn(staff.admin.email);
    await page.goto(`/app/users/${amina.id}`);
    await page.getByText('Disable the account…').click();
    const disabled = await submit(page, () =>
      page.getByRole('button', { name: 'Yes, disable the account' }).click(),
    );
    expect(disabled.status()).toBe(303);
    await expect(page.locator('#user-state').textContent()).resolves.toContain(
      'The account is disabled',
    );
    expect((await user(amina.id)).disabled).toBe(true);
    expect(await login(amina.email, password)).toBe(401);

    const enabled = await submit(page, () =>
      page.getByRole('button', { name: 'Enable the account' }).click(),
    );
    expect(enabled.status()).toBe(303);
    expect((await user(amina.id)).disabled).toBe(false);
    expect(await login(amina.email, password)).toBe(200);
    await page.close();
  }, 60_000);

  it('should reset the password: the user signs in with the new one only', async () => {
    const page = await signIn(staff.admin.email);
    await page.goto(`/app/users/${amina.id}`);
    const old = password;
    password = 'a brand new password 42';
    await page.getByLabel('New password').fill(password);
    const reset = await submit(page, () =>
      page.getByRole('button', { name: 'Reset the password' }).click(),
    );
    expect(reset.status()).toBe(303);
    await expect(page.locator('#user-password').textContent()).resolves.toContain(
      'The password is reset',
    );
    await expect(page.getByLabel('New password').inputValue()).resolves.toBe('');
    expect(await login(amina.email, password)).toBe(200);
    expect(await login(amina.email, old)).toBe(401);
    await page.close();
  }, 60_000);

  it("should revoke one of the user's API tokens, which then no longer authenticates", async () => {
    // The user chooses their own password first (one set by someone else may have to be), then
    // makes two tokens for their scripts.
    const session = await t.tokenFor(amina);
    const own = 'amina chose this one 2026';
    const changed = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/auth/me/password',
      headers: bearer(session),
      payload: { currentPassword: password, newPassword: own },
    });
    expect(changed.statusCode).toBeLessThan(300);
    password = own;
    const makeToken = async (name: string) => {
      const response = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/tokens',
        headers: bearer(session),
        payload: { name },
      });
      expect(response.statusCode).toBe(201);
      return response.json() as { id: string; token: string };
    };
    const script = await makeToken('nightly export');
    const kept = await makeToken('dashboard');
    const me = async (token: string) =>
      (await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(token) }))
        .statusCode;
    expect(await me(script.token)).toBe(200);

    const page = await signIn(staff.admin.email);
    await page.goto(`/app/users/${amina.id}`);
    const row = page.locator(`tr[data-token="${script.id}"]`);
    await expect(row.textContent()).resolves.toContain('nightly export');
    const revoked = await submit(page, () => row.getByRole('button', { name: /Revoke/ }).click());
    expect(revoked.status()).toBe(303);
    await expect(page.locator('#notice').textContent()).resolves.toContain('The token is revoked');
    await expect(page.locator(`tr[data-token="${script.id}"]`).textContent()).resolves.toContain(
      'Revoked',
    );
    expect(await me(script.token)).toBe(401);
    expect(await me(kept.token)).toBe(200);
    const tokens = (await admin('GET', `/api/v1/users/${amina.id}/tokens`)).json();
    expect(tokens.find((token: { id: string }) => token.id === script.id).revokedAt).not.toBeNull();
    expect(await look(page, 'tokens')).toEqual([]);
    await page.close();
  }, 90_000);

  it('should let an itu_pm create an observer, offering and accepting no admin or itu_pm role', async () => {
    // Without the script: both scopes are shown, and left at "—".
    const page = await signIn(staff.itu_pm.email, false);
    await page.goto('/app/users');
    expect(await page.locator('header nav a[href="/app/users"]').count()).toBe(1);
    await page.goto('/app/users/new');
    const roles = await page
      .getByLabel('Role', { exact: true })
      .locator('option')
      .evaluateAll((options) => options.map((option) => (option as HTMLOptionElement).value));
    expect(roles).toEqual(['', 'regional_coordinator', 'national_team', 'observer']);
    const problems = await shoot(page, 'new-nojs', 'en', false);
    const email = `observer.${Date.now()}@example.org`;
    await page.getByLabel('E-mail', { exact: true }).fill(email);
    await page.getByLabel('Name', { exact: true }).fill('Olu Observer');
    await page.getByLabel('Role', { exact: true }).selectOption('observer');
    await page.getByLabel('Initial password').fill('an observer password');
    const created = await submit(page, () =>
      page.getByRole('button', { name: 'Create the user' }).click(),
    );
    expect(created.status()).toBe(303);
    const id = page.url().split('/').pop()!;
    expect(await user(id)).toMatchObject({ email, role: 'observer', countryCode: null });

    // An administrator's role posted by hand is refused at the role, and creates no one.
    const before = await userCount();
    await page.goto('/app/users/new');
    await page.getByLabel('E-mail', { exact: true }).fill(`sneaky.${Date.now()}@example.org`);
    await page.getByLabel('Name', { exact: true }).fill('Sneaky');
    await page.getByLabel('Role', { exact: true }).evaluate((select) => {
      const option = document.createElement('option');
      option.value = 'admin';
      select.append(option);
      (select as HTMLSelectElement).value = 'admin';
    });
    await page.getByLabel('Initial password').fill('an admin password!');
    const refused = await submit(page, () =>
      page.getByRole('button', { name: 'Create the user' }).click(),
    );
    expect(refused.status()).toBe(403);
    await expect(page.locator('#new-role-error').textContent()).resolves.toContain(
      'Only an administrator',
    );
    await expect(page.getByLabel('Initial password').inputValue()).resolves.toBe('');
    expect(await userCount()).toBe(before);
    problems.push(...(await shoot(page, 'role-refused', 'en', false)));

    // An administrator's account is shown, not offered for change, and no one's tokens are.
    await page.goto(`/app/users/${staff.admin.id}`);
    await expect(page.locator('main').textContent()).resolves.toContain(
      'Only an administrator can change',
    );
    expect(await page.locator('main form').count()).toBe(0);
    await page.goto(`/app/users/${staff.observer.id}`);
    expect(await page.locator('#user-edit').count()).toBe(1);
    expect(await page.locator('#token-table, #tokens-title').count()).toBe(0);
    problems.push(...(await look(page, 'itu-pm-user', false)));
    expect(problems).toEqual([]);
    await page.close();
  }, 120_000);

  it('should give a national team no menu entry and answer 403 to the users page', async () => {
    const page = await signIn(staff.national_team.email);
    expect(await page.locator('header nav a[href="/app/users"]').count()).toBe(0);
    for (const path of ['/app/users', '/app/users/new', `/app/users/${staff.observer.id}`]) {
      const response = await page.goto(path);
      expect([path, response?.status()]).toEqual([path, 403]);
    }
    await page.close();
  }, 60_000);

  it('should show a refused new user again with errors at the fields, never refilling the password, creating nothing', async () => {
    const page = await signIn(staff.admin.email);
    const before = await userCount();
    await page.goto('/app/users/new');
    // As an old browser does, which does not check the fields before posting.
    await page.locator('#user-new').evaluate((form) => form.setAttribute('novalidate', ''));
    await page.getByLabel('E-mail', { exact: true }).fill('not-an-email');
    await page.getByLabel('Name', { exact: true }).fill('Nobody');
    await page.getByLabel('Role', { exact: true }).selectOption('observer');
    await page.getByLabel('Initial password').fill('short');
    const refused = await submit(page, () =>
      page.getByRole('button', { name: 'Create the user' }).click(),
    );
    expect(refused.status()).toBe(400);
    await expect(page.locator('#new-email-error').textContent()).resolves.toContain('E-mail');
    await expect(page.locator('#new-password-error').textContent()).resolves.toContain(
      'Initial password',
    );
    await expect(
      page.getByLabel('E-mail', { exact: true }).getAttribute('aria-invalid'),
    ).resolves.toBe('true');
    await expect(page.getByLabel('E-mail', { exact: true }).inputValue()).resolves.toBe(
      'not-an-email',
    );
    await expect(page.getByLabel('Name', { exact: true }).inputValue()).resolves.toBe('Nobody');
    await expect(page.getByLabel('Initial password').inputValue()).resolves.toBe('');
    expect(await page.content()).not.toContain('value="short"');
    expect(await userCount()).toBe(before);

    // An e-mail that exists already: said at the e-mail field (409).
    await page.getByLabel('E-mail', { exact: true }).fill(staff.observer.email.toUpperCase());
    await page.getByLabel('Initial password').fill('a long enough password');
    await page.getByLabel('Role', { exact: true }).selectOption('observer');
    const taken = await submit(page, () =>
      page.getByRole('button', { name: 'Create the user' }).click(),
    );
    expect(taken.status()).toBe(409);
    await expect(page.locator('#new-email-error').textContent()).resolves.toContain(
      'exists already',
    );
    expect(await userCount()).toBe(before);
    const problems = await shoot(page, 'refused', 'en');

    // In Arabic, a national team without its country: said at the country, the role in words.
    await page.goto('/app/users/new?lang=ar');
    await page.locator('#new-email').fill(`nobody.${Date.now()}@example.org`);
    await page.locator('#new-name').fill('Nobody');
    await page.locator('#new-role').selectOption('national_team');
    await page.locator('#new-password').fill('a long enough password');
    const arabic = await submit(page, () => page.locator('#user-new button[type=submit]').click());
    expect(arabic.status()).toBe(400);
    await expect(page.locator('#new-country-error').textContent()).resolves.toContain(
      'الفريق الوطني',
    );
    expect(await userCount()).toBe(before);
    problems.push(...(await shoot(page, 'refused', 'ar')));
    await page.goto('/app/users/new?lang=en');
    expect(problems).toEqual([]);
    await page.close();
  }, 90_000);

  it('should refuse the forms without the session or its CSRF token, and answer 404 for no such user', async () => {
    const someone = await createUser(t.dataSource, { role: 'observer' });
    const posted = await t.app.inject({
      method: 'POST',
      url: `/app/users/${someone.id}/state`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'disabled=true',
    });
    expect(posted.statusCode).toBe(303);
    expect(posted.headers.location).toMatch(/^\/login/);
    expect((await user(someone.id)).disabled).toBe(false);

    const page = await signIn(staff.admin.email);
    const cookie = (await page.context().cookies())
      .map((item) => `${item.name}=${item.value}`)
      .join('; ');
    const forged = await t.app.inject({
      method: 'POST',
      url: `/app/users/${someone.id}/state`,
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
      payload: 'disabled=true',
    });
    expect(forged.statusCode).toBe(403);
    expect((await user(someone.id)).disabled).toBe(false);

    const missing = await page.goto('/app/users/00000000-0000-4000-8000-000000000000');
    expect(missing?.status()).toBe(404);
    const garbage = await page.goto('/app/users/not-a-uuid');
    expect(garbage?.status()).toBe(400);
    const badFilter = await page.goto('/app/users?regionCode=MARS');
    expect(badFilter?.status()).toBe(400);
    await page.close();
  }, 60_000);
});
