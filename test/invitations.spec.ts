import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { createInvitedUser, invitationTokenFor } from './factories/invitations.js';
import { TEST_PASSWORD, type Staff, createStaff, createUser } from './factories/users.js';
import { launchChromium, watchedPage } from './support/chromium.js';
import { axeViolations } from './support/page-audit.js';
import { type TestApp, bearer, startTestApp } from './support/test-app.js';
import { SCREENSHOTS, saveScreenshot } from './support/screenshots.js';

const NEW_PASSWORD = 'my own passphrase 2026';

/**
 * A new user with an invitation instead of a password: the e-mail in the outbox, the link's page
 * in a real browser, the API's equivalent, and every way a link stops working.
 */
describe('invitations', () => {
  let t: TestApp;
  let staff: Staff;
  let browser: Browser;
  let baseUrl: string;

  beforeAll(async () => {
    t = await startTestApp();
    staff = await createStaff(t.dataSource);
    await t.app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    browser = await launchChromium();
    mkdirSync(SCREENSHOTS, { recursive: true });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const as = async (
    who: keyof Staff,
    method: 'GET' | 'POST' | 'PATCH',
    url: string,
    payload?: object,
  ) => t.app.inject({ method, url, payload, headers: bearer(await t.tokenFor(staff[who])) });
  const accept = (token: string, newPassword = NEW_PASSWORD) =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/invitations/accept',
      payload: { token, newPassword },
    });
  const login = (email: string, password: string) =>
    t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });
  const counts = async () =>
    (
      await t.dataSource.query(
        `SELECT (SELECT count(*)::int FROM users) AS users,
                (SELECT count(*)::int FROM user_invitations) AS invitations,
                (SELECT count(*)::int FROM notifications) AS notifications,
                (SELECT count(*)::int FROM audit_events) AS audit`,
      )
    )[0] as Record<string, number>;
  const newEmail = () => `person.${Math.random().toString(36).slice(2, 10)}@example.org`;

  it('should create an invited user with an e-mail in their language in the outbox, storing only the hash of the token', async () => {
    const email = newEmail();
    const response = await as('admin', 'POST', '/api/v1/users', {
      email,
      displayName: 'Aïssatou Ndiaye',
      role: 'national_team',
      countryCode: 'KE',
      locale: 'fr',
      invite: true,
    });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({ email, passwordChangeRequired: true, locale: 'fr' });
    const userId = response.json().id;

    const [mail] = await t.dataSource.query(
      `SELECT kind, channel, recipient, locale, subject, body_text, body_html, status
       FROM notifications WHERE recipient = $1`,
      [email],
    );
    expect(mail).toMatchObject({
      kind: 'invitation',
      channel: 'email',
      locale: 'fr',
      status: 'pending',
      subject: 'Votre compte cirt-tracker : choisissez votre mot de passe',
    });
    const token = await invitationTokenFor(t, email);
    expect(token).toMatch(/^[\w-]{43}$/);
    expect(mail.body_text).toContain(`${t.config.PUBLIC_URL}/invitation/${token}`);
    expect(mail.body_text).toContain('Bonjour Aïssatou Ndiaye,');
    // The inviter's name, and the expiry seven days on.
    expect(mail.body_text).toContain('Test admin vous a créé un compte');
    expect(mail.body_text).toMatch(/jusqu’au .+ \(UTC\)/);
    expect(mail.body_html).toContain(`<a href="${t.config.PUBLIC_URL}/invitation/${token}">`);

    const [stored] = await t.dataSource.query(
      `SELECT token_hash, expires_at - created_at AS lasts, used_at, created_by
       FROM user_invitations WHERE user_id = $1`,
      [userId],
    );
    expect(stored).toMatchObject({
      token_hash: createHash('sha256').update(token).digest('hex'),
      lasts: { days: 7 },
      used_at: null,
      created_by: staff.admin.id,
    });
    const actions = await t.dataSource.query(
      `SELECT action, actor_id FROM audit_events WHERE entity_id = $1 ORDER BY id`,
      [userId],
    );
    expect(actions).toEqual([
      { action: 'user.created', actor_id: staff.admin.id },
      { action: 'user.invited', actor_id: staff.admin.id },
    ]);
  });

  it('should refuse a password and an invitation together, or neither, at the password field, creating nothing', async () => {
    const before = await counts();
    const both = await as('admin', 'POST', '/api/v1/users', {
      email: newEmail(),
      displayName: 'Both',
      role: 'observer',
      password: TEST_PASSWORD,
      invite: true,
    });
    expect(both.statusCode).toBe(400);
    expect(both.json().errors).toEqual([
      expect.objectContaining({ field: 'password', code: 'password_and_invitation' }),
    ]);
    const neither = await as('admin', 'POST', '/api/v1/users', {
      email: newEmail(),
      displayName: 'Neither',
      role: 'observer',
      invite: false,
    });
    expect(neither.statusCode).toBe(400);
    expect(neither.json().errors).toEqual([
      expect.objectContaining({ field: 'password', code: 'password_or_invitation' }),
    ]);
    const french = await t.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: { ...bearer(await t.tokenFor(staff.admin)), 'accept-language': 'fr' },
      payload: { email: newEmail(), displayName: 'Neither', role: 'observer' },
    });
    expect(french.json().errors[0].message).toContain('sauf si une invitation est envoyée');
    const notBoolean = await as('admin', 'POST', '/api/v1/users', {
      email: newEmail(),
      displayName: 'Text',
      role: 'observer',
      invite: 'true',
    });
    expect(notBoolean.statusCode).toBe(400);
    expect(await counts()).toEqual(before);
  });

  it('should set the password once through the API, after which the user signs in with it', async () => {
    const invited = await createInvitedUser(t, staff.admin);
    // No password works before: nobody knows the one the account was created with.
    expect((await login(invited.email, TEST_PASSWORD)).statusCode).toBe(401);

    const tooShort = await accept(invited.token, 'short');
    expect(tooShort.statusCode).toBe(400);
    const isEmail = await accept(invited.token, invited.email);
    expect(isEmail.statusCode).toBe(400);
    expect(isEmail.json().errors).toEqual([
      expect.objectContaining({ field: 'newPassword', code: 'password_is_email' }),
    ]);

    expect((await accept(invited.token)).statusCode).toBe(204);
    const signedIn = await login(invited.email, NEW_PASSWORD);
    expect(signedIn.statusCode).toBe(200);
    expect(signedIn.json().user.passwordChangeRequired).toBe(false);
    const [event] = await t.dataSource.query(
      `SELECT actor_id FROM audit_events WHERE action = 'user.invitation_accepted' AND entity_id = $1`,
      [invited.id],
    );
    expect(event).toEqual({ actor_id: invited.id });

    // Once only: a used link answers as an unknown one does.
    const again = await accept(invited.token, 'yet another passphrase');
    const unknown = await accept('A'.repeat(43));
    const malformed = await accept('not a token');
    for (const refused of [again, unknown, malformed]) {
      expect(refused.statusCode).toBe(404);
      expect(refused.json()).toMatchObject({ code: 'invitation_invalid' });
    }
    expect(again.json().detail).toBe(unknown.json().detail);
    expect((await login(invited.email, NEW_PASSWORD)).statusCode).toBe(200);
  });

  it('should refuse an expired invitation with 410, on the API and on its page, and a used or unknown one with the same 404 page', async () => {
    const invited = await createInvitedUser(t, staff.admin, { locale: 'es' });
    await t.dataSource.query(
      `UPDATE user_invitations SET expires_at = now() - interval '1 minute' WHERE user_id = $1`,
      [invited.id],
    );
    const expired = await accept(invited.token);
    expect(expired.statusCode).toBe(410);
    expect(expired.json()).toMatchObject({ code: 'invitation_expired', title: 'Gone' });
    const page = await t.app.inject({
      method: 'GET',
      url: `/invitation/${invited.token}`,
      headers: { 'accept-language': 'fr' },
    });
    expect(page.statusCode).toBe(410);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('Cette invitation n’est plus valide');
    expect(page.body).toContain('Demandez à votre administrateur');
    expect(page.body).not.toContain('name="newPassword"');

    const used = await createInvitedUser(t, staff.admin);
    expect((await accept(used.token)).statusCode).toBe(204);
    const pages = await Promise.all(
      [used.token, 'B'.repeat(43), 'x', '%E2%80%AE..'].map((token) =>
        t.app.inject({ method: 'GET', url: `/invitation/${token}` }),
      ),
    );
    for (const answer of pages) {
      expect(answer.statusCode).toBe(404);
      expect(answer.body).toContain('This invitation is no longer valid');
      expect(answer.body).toContain('Ask your administrator to send you a new invitation.');
    }
    // A post to a spent link is answered the same, changing nothing.
    const posted = await t.app.inject({
      method: 'POST',
      url: `/invitation/${used.token}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `newPassword=${encodeURIComponent('a brand new password')}`,
    });
    expect(posted.statusCode).toBe(404);
    expect((await login(used.email, NEW_PASSWORD)).statusCode).toBe(200);
  });

  it('should show the form in the invited user’s language, refuse a cross-site post and a bad password there, and keep the invitation usable', async () => {
    const invited = await createInvitedUser(t, staff.admin, { locale: 'fr', displayName: 'Léa' });
    const page = await t.app.inject({ method: 'GET', url: `/invitation/${invited.token}` });
    expect(page.statusCode).toBe(200);
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(page.body).toContain('<html lang="fr"');
    expect(page.body).toContain('Bienvenue, \u2068Léa\u2069 : choisissez votre mot de passe');
    expect(page.body).toContain(`action="/invitation/${invited.token}"`);

    const form = (newPassword: string, headers: Record<string, string> = {}) =>
      t.app.inject({
        method: 'POST',
        url: `/invitation/${invited.token}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
        payload: new URLSearchParams({ newPassword }).toString(),
      });
    const crossSite = await form(NEW_PASSWORD, {
      origin: 'https://evil.example',
      'sec-fetch-site': 'cross-site',
    });
    expect(crossSite.statusCode).toBe(403);
    const short = await form('short');
    expect(short.statusCode).toBe(400);
    expect(short.body).toContain('<html lang="fr"');
    expect(short.body).toMatch(/id="new-password-error">Nouveau mot de passe [^<]+<\/p>/);
    expect(short.body).not.toContain('value="short"');
    const extra = await t.app.inject({
      method: 'POST',
      url: `/invitation/${invited.token}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ newPassword: NEW_PASSWORD, role: 'admin' }).toString(),
    });
    expect(extra.statusCode).toBe(400);
    expect((await login(invited.email, NEW_PASSWORD)).statusCode).toBe(401);

    const done = await form(NEW_PASSWORD);
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe('/');
    expect(done.cookies.find((cookie) => cookie.name === 'cirt_session')?.value).toBeTruthy();
  });

  it('should let an admin (or an itu_pm, for the roles it manages) send a new invitation, which ends the old link, only to those who never chose a password', async () => {
    const invited = await createInvitedUser(t, staff.admin);
    const resent = await as('admin', 'POST', `/api/v1/users/${invited.id}/invitation`);
    expect(resent.statusCode).toBe(202);
    const [open] = await t.dataSource.query(
      `SELECT expires_at FROM user_invitations WHERE user_id = $1 AND used_at IS NULL`,
      [invited.id],
    );
    expect(new Date(resent.json().expiresAt)).toEqual(open.expires_at);
    const fresh = await invitationTokenFor(t, invited.email);
    expect(fresh).not.toBe(invited.token);
    expect((await accept(invited.token)).statusCode).toBe(404);

    expect((await as('itu_pm', 'POST', `/api/v1/users/${invited.id}/invitation`)).statusCode).toBe(
      202,
    );
    const newest = await invitationTokenFor(t, invited.email);
    expect((await accept(fresh)).statusCode).toBe(404);
    const pm = await createInvitedUser(t, staff.admin, { role: 'itu_pm' });
    expect((await as('itu_pm', 'POST', `/api/v1/users/${pm.id}/invitation`)).statusCode).toBe(403);
    expect((await as('observer', 'POST', `/api/v1/users/${pm.id}/invitation`)).statusCode).toBe(
      403,
    );

    // An initial password someone else set is not the user's own yet: an invitation may replace it.
    const given = await as('admin', 'POST', '/api/v1/users', {
      email: newEmail(),
      displayName: 'Given',
      role: 'observer',
      password: TEST_PASSWORD,
    });
    expect(
      (await as('admin', 'POST', `/api/v1/users/${given.json().id}/invitation`)).statusCode,
    ).toBe(202);

    expect((await accept(newest)).statusCode).toBe(204);
    const ownPassword = await createUser(t.dataSource, { role: 'observer' });
    const disabled = await createInvitedUser(t, staff.admin);
    await t.dataSource.query(`UPDATE users SET disabled = true WHERE id = $1`, [disabled.id]);
    const before = await counts();
    const chosen = await as('admin', 'POST', `/api/v1/users/${invited.id}/invitation`);
    expect(chosen.statusCode).toBe(409);
    expect(chosen.json().code).toBe('invitation_not_needed');
    for (const id of [ownPassword.id, disabled.id]) {
      expect((await as('admin', 'POST', `/api/v1/users/${id}/invitation`)).statusCode).toBe(409);
    }
    // A disabled user's link no longer works either.
    expect((await accept(disabled.token)).statusCode).toBe(404);
    const nobody = '/api/v1/users/00000000-0000-4000-8000-000000000000/invitation';
    expect((await as('admin', 'POST', nobody)).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'POST', url: nobody })).statusCode).toBe(401);
    expect(await counts()).toEqual(before);
  });

  const newPage = (width = 1280): Promise<Page> =>
    watchedPage(browser, { baseURL: baseUrl, viewport: { width, height: 900 } });

  it('should end an open invitation when an administrator sets the password instead', async () => {
    const invited = await createInvitedUser(t, staff.admin);
    const reset = await as('admin', 'PATCH', `/api/v1/users/${invited.id}`, {
      password: 'a password set by the admin',
    });
    expect(reset.statusCode).toBe(200);
    expect((await accept(invited.token)).statusCode).toBe(404);
    expect((await login(invited.email, 'a password set by the admin')).statusCode).toBe(200);
  });

  it('should let the invited user follow the e-mail’s link, choose a password and land signed in on their start page', async () => {
    const invited = await createInvitedUser(t, staff.admin, {
      role: 'national_team',
      countryCode: 'KE',
      displayName: 'Wanjiru Kamau',
    });
    const [mail] = await t.dataSource.query(
      `SELECT body_text FROM notifications WHERE kind = 'invitation' AND recipient = $1`,
      [invited.email],
    );
    const link = new URL(/(https?:\/\/\S+\/invitation\/\S+)/.exec(mail.body_text)![1]);

    const page = await newPage();
    await page.goto(`${link.pathname}?lang=en`);
    await expect(page.locator('h1').textContent()).resolves.toBe(
      'Welcome, \u2068Wanjiru Kamau\u2069: choose your password',
    );
    expect(await axeViolations(page)).toEqual([]);
    await saveScreenshot(page, 'invitation-en-1280');
    // A password that is the e-mail is refused at the field, and the form is there again.
    await page.getByLabel(/^New password/).fill(invited.email);
    await page.getByRole('button', { name: 'Save my password and sign in' }).click();
    await page.waitForLoadState();
    expect(await page.locator('#new-password').getAttribute('aria-invalid')).toBe('true');
    expect(await axeViolations(page)).toEqual([]);

    await page.getByLabel(/^New password/).fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Save my password and sign in' }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/invitation/'));
    expect(new URL(page.url()).pathname).toBe('/app/countries/KE');
    await expect(page.locator('#notice').textContent()).resolves.toContain(
      'Your password is saved and you are signed in.',
    );
    await expect(page.locator('header .who').textContent()).resolves.toContain('Wanjiru Kamau');
    await page.close();

    const signedIn = await login(invited.email, NEW_PASSWORD);
    expect(signedIn.statusCode).toBe(200);
    expect(signedIn.json().user).toMatchObject({ id: invited.id, passwordChangeRequired: false });

    // The link, spent, now says so.
    const again = await newPage();
    const answer = await again.goto(link.pathname);
    expect(answer?.status()).toBe(404);
    await expect(again.locator('h1').textContent()).resolves.toBe(
      'This invitation is no longer valid',
    );
    await again.close();
  });

  it('should let an admin choose an invitation instead of a password on the new user page', async () => {
    const page = await newPage();
    await page.goto('/login?lang=en');
    await page.getByLabel('E-mail').fill(staff.admin.email);
    await page.getByLabel('Password').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => url.pathname !== '/login');
    await page.goto('/app/users/new');
    expect(await page.getByLabel('Set the password yourself').isChecked()).toBe(true);
    expect(await axeViolations(page)).toEqual([]);

    // Both: refused at the password field, with the choice kept.
    const email = newEmail();
    await page.getByLabel('E-mail', { exact: true }).fill(email);
    await page.getByLabel('Name', { exact: true }).fill('Kwame Mensah');
    await page.getByLabel('Role', { exact: true }).selectOption({ label: 'Observer' });
    await page.getByLabel('Send an invitation by e-mail').check();
    await page.getByLabel('Initial password').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Create the user' }).click();
    await page.waitForLoadState();
    expect(await page.locator('#new-password').getAttribute('aria-invalid')).toBe('true');
    await expect(page.locator('#new-password-error').textContent()).resolves.toContain(
      'must be left empty when an invitation is sent',
    );
    expect(await page.getByLabel('Send an invitation by e-mail').isChecked()).toBe(true);
    await saveScreenshot(page, 'user-new-invite-refused');
    expect((await as('admin', 'GET', `/api/v1/users?q=${email}`)).json().total).toBe(0);

    await page.getByRole('button', { name: 'Create the user' }).click();
    await page.waitForURL((url) => url.pathname !== '/app/users/new');
    await expect(page.locator('#notice').textContent()).resolves.toContain(
      'the invitation is on its way',
    );
    const [user] = (await as('admin', 'GET', `/api/v1/users?q=${email}`)).json().items;
    expect(user).toMatchObject({ displayName: 'Kwame Mensah', passwordChangeRequired: true });
    const first = await invitationTokenFor(t, email);
    expect(first).toMatch(/^[\w-]{43}$/);

    // A new invitation from the user's page: the first link stops working, the new one works.
    await page.getByRole('button', { name: 'Send a new invitation by e-mail' }).click();
    await page.waitForLoadState();
    await expect(page.locator('#user-invitation .notice.done').textContent()).resolves.toContain(
      'A new invitation is on its way',
    );
    await page.close();
    const second = await invitationTokenFor(t, email);
    expect(second).not.toBe(first);
    expect((await accept(first)).statusCode).toBe(404);
    expect((await accept(second)).statusCode).toBe(204);
  }, 90_000);

  it('should show the invitation page within a phone’s width and right to left in Arabic, free of axe violations', async () => {
    const invited = await createInvitedUser(t, staff.admin, {
      locale: 'ar',
      displayName: 'ليلى حسن',
    });
    for (const width of [1280, 390]) {
      const page = await newPage(width);
      await page.goto(`/invitation/${invited.token}`);
      expect(await page.locator('html').getAttribute('dir')).toBe('rtl');
      expect(await axeViolations(page)).toEqual([]);
      await saveScreenshot(page, `invitation-ar-${width}`);
      // Nothing scrolls sideways, down to a 320 px phone.
      await page.setViewportSize({ width: Math.min(width, 320), height: 900 });
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow).toBeLessThanOrEqual(0);
      await page.setViewportSize({ width, height: 900 });
      await page.goto('/invitation/unknown-token?lang=ar');
      expect(await axeViolations(page)).toEqual([]);
      await saveScreenshot(page, `invitation-spent-ar-${width}`);
      await page.close();
    }
  });
});
