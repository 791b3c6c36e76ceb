import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { TEST_PASSWORD, type TestUser, createUser } from './factories/users.js';
import { launchChromium, signInThroughForm, watchedPage } from './support/chromium.js';
import { type TestApp, bearer, startTestApp } from './support/test-app.js';

/** The account page as each user uses it, in a real browser, checked through the API. */
describe('the account page in a browser', () => {
  let t: TestApp;
  let browser: Browser;
  let baseUrl: string;

  beforeAll(async () => {
    t = await startTestApp();
    await t.app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function signIn(email: string, password = TEST_PASSWORD): Promise<Page> {
    const page = await watchedPage(browser, {
      baseURL: baseUrl,
      viewport: { width: 1280, height: 900 },
    });
    return signInThroughForm(page, email, password, 'en');
  }

  const api = async (user: TestUser | string, url: string) => {
    const token = typeof user === 'string' ? user : await t.tokenFor(user);
    return t.app.inject({ method: 'GET', url, headers: bearer(token) });
  };

  it('should save the language and time zone, after which the pages speak that language', async () => {
    const team = await createUser(t.dataSource, { role: 'national_team', countryCode: 'KE' });
    const page = await signIn(team.email);
    await page.goto('/app/account');
    await page.locator('#settings-locale').selectOption('fr');
    await page.getByLabel(/^Time zone/).selectOption('Africa/Nairobi');
    await page.locator('#settings').getByRole('button', { name: 'Save' }).click();
    await page.waitForLoadState();

    const me = (await api(team, '/api/v1/auth/me')).json();
    expect(me).toMatchObject({ locale: 'fr', timezone: 'Africa/Nairobi' });
    await expect(page.locator('#settings .notice.done').textContent()).resolves.toContain(
      'Votre langue et votre fuseau horaire sont enregistrés',
    );
    expect(await page.locator('html').getAttribute('lang')).toBe('fr');
    await page.close();
  });

  it('should refuse a time zone that is not one at the field, changing nothing', async () => {
    const observer = await createUser(t.dataSource, { role: 'observer' });
    const page = await signIn(observer.email);
    await page.goto('/app/account');
    // A browser offers only the list; a hand-made option stands for a forged post.
    await page
      .locator('#settings-timezone')
      .evaluate((select: HTMLSelectElement) =>
        select.add(new Option('Mars', 'Mars/Olympus_Mons', true, true)),
      );
    await page.locator('#settings').getByRole('button', { name: 'Save' }).click();
    await page.waitForLoadState();
    expect(await page.locator('#settings-timezone').getAttribute('aria-invalid')).toBe('true');
    expect((await api(observer, '/api/v1/auth/me')).json().timezone).toBeNull();
    await page.close();
  });

  it('should save the notification preferences of each event kind', async () => {
    const coordinator = await createUser(t.dataSource, {
      role: 'regional_coordinator',
      regionCode: 'AFR',
    });
    const page = await signIn(coordinator.email);
    await page.goto('/app/account');
    await page.getByRole('radio', { name: 'Phase change requested In the daily digest' }).check();
    await page.getByRole('radio', { name: 'Report ready Off' }).check();
    await page.locator('#notification-preferences').getByRole('button', { name: 'Save' }).click();
    await page.waitForLoadState();
    expect(await page.locator('#notification-preferences .notice.done').count()).toBe(1);

    const preferences = (await api(coordinator, '/api/v1/auth/me/notification-preferences')).json();
    expect(preferences.events).toMatchObject({
      transition_requested: 'daily_digest',
      report_completed: 'off',
      transition_approved: 'immediate',
    });
    expect(await page.getByRole('radio', { name: 'Report ready Off' }).isChecked()).toBe(true);
    await page.close();
  });

  it('should create an API token shown once, which works, and revoke it', async () => {
    const pm = await createUser(t.dataSource, { role: 'itu_pm' });
    const page = await signIn(pm.email);
    await page.goto('/app/account');
    await page.getByLabel('Token name').fill('nightly export');
    await page.getByLabel(/^Valid for/).fill('30');
    await page.getByRole('button', { name: 'Create a token' }).click();
    await page.waitForLoadState();
    const token = (await page.locator('code.secret').textContent())!.trim();
    expect(token.length).toBeGreaterThan(20);
    expect((await api(token, '/api/v1/auth/me')).json().id).toBe(pm.id);

    // Shown once: the page opened again does not have it.
    await page.goto('/app/account');
    expect(await page.locator('code.secret').count()).toBe(0);
    expect(await page.content()).not.toContain(token);
    await page.getByRole('button', { name: 'Revoke · nightly export' }).click();
    await page.waitForLoadState();
    expect(await page.locator('#notice').textContent()).toContain('The token is revoked');
    expect((await api(token, '/api/v1/auth/me')).statusCode).toBe(401);
    await page.close();
  });

  it('should take a user whose password someone else set to their account page until they choose their own', async () => {
    const admin = await createUser(t.dataSource, { role: 'admin' });
    const initial = 'an initial password from the admin';
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: bearer(await t.tokenFor(admin)),
      payload: {
        email: `first.sign.in.${Date.now()}@example.org`,
        displayName: 'First Sign-In',
        role: 'national_team',
        countryCode: 'KE',
        password: initial,
      },
    });
    expect(created.statusCode).toBe(201);
    const page = await signIn(created.json().email, initial);
    expect(new URL(page.url()).pathname).toBe('/app/account');
    expect(await page.getByRole('alert').textContent()).toContain('Choose your own password');
    expect(
      await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link').count(),
    ).toBe(0);
    await page.goto('/app/countries/KE');
    expect(new URL(page.url()).pathname).toBe('/app/account');

    await page.getByLabel('Current password').fill(initial);
    await page.getByLabel(/^New password/).fill('my own password at last');
    await page.getByRole('button', { name: 'Change your password' }).click();
    await page.waitForLoadState();
    expect(await page.locator('#change-password .notice.done').count()).toBe(1);
    await page.goto('/app/countries/KE');
    expect(new URL(page.url()).pathname).toBe('/app/countries/KE');
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: created.json().email, password: 'my own password at last' },
    });
    expect(login.json().user.passwordChangeRequired).toBe(false);
    await page.close();
  });
});
