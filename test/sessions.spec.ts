import { createSecretKey } from 'node:crypto';
import { JwtService } from '@nestjs/jwt';
import { TEST_PASSWORD, type TestUser, createUser } from './factories/users.js';
import { type TestApp, bearer, controlClock, startTestApp } from './support/test-app.js';

// Sessions and secrets: no secret of the source is accepted, sign-out and changes of password,
// role, scope or state end what was issued before them, the login limit cannot be raced, and an
// itu_pm cannot take over another itu_pm.

/** The signing secret that .env.example and the sources carried before: public. */
const PUBLISHED_SECRET = 'development-only-secret-change-me-0123456789';
const NEW_PASSWORD = 'a brand new passphrase';

type Inject = TestApp['app']['inject'];
const json = { 'content-type': 'application/json' };

async function loginApi(t: TestApp, email: string, password = TEST_PASSWORD) {
  return t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });
}

async function apiToken(t: TestApp, user: TestUser): Promise<string> {
  const created = await t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/tokens',
    headers: bearer(await t.tokenFor(user)),
    payload: { name: 'script' },
  });
  expect(created.statusCode).toBe(201);
  return created.json().token;
}

/** Signs in through the sign-in page and answers the session cookie as a Cookie header. */
async function signInPage(t: TestApp, email: string, cookieName = 'cirt_session') {
  const response = await t.app.inject({
    method: 'POST',
    url: '/login',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ email, password: TEST_PASSWORD }).toString(),
  });
  expect(response.statusCode).toBe(303);
  const cookie = response.cookies.find((item) => item.name === cookieName);
  expect(cookie).toBeDefined();
  return { header: `${cookieName}=${cookie!.value}`, cookie: cookie! };
}

const me = (t: TestApp, token: string) =>
  t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(token) });
const page = (t: TestApp, cookie: string) =>
  t.app.inject({ method: 'GET', url: '/app/portfolio', headers: { cookie } });
const csrfOf = (html: string) => /name="csrf-token" content="([^"]+)"/.exec(html)![1];

describe('sessions and secrets', () => {
  let t: TestApp;
  let admin: TestUser;

  beforeAll(async () => {
    // No JWT_SECRET, as in the README's quick start: the service must make its own.
    t = await startTestApp({ env: { JWT_SECRET: '' } });
    admin = await createUser(t.dataSource, { role: 'admin' });
  });
  afterAll(() => t.close());

  const patchUser = async (as: TestUser, id: string, payload: object) =>
    t.app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${id}`,
      headers: bearer(await t.tokenFor(as)),
      payload,
    });

  describe('signing secrets', () => {
    it('should refuse a token signed with the secret once published in the sources', async () => {
      // The forgery names a real, live session of the admin: only the key is wrong.
      const { accessToken } = (await loginApi(t, admin.email)).json();
      const { sid } = JSON.parse(Buffer.from(accessToken.split('.')[1], 'base64url').toString());
      const forger = new JwtService({
        secret: createSecretKey(Buffer.from(PUBLISHED_SECRET)),
        signOptions: { algorithm: 'HS256', issuer: 'cirt-tracker', expiresIn: 3600 },
      });
      const forged = forger.sign({ sub: admin.id, sid });
      const answer = await t.app.inject({
        method: 'GET',
        url: '/api/v1/users',
        headers: bearer(forged),
      });
      expect(answer.statusCode).toBe(401);
      expect((await me(t, accessToken)).statusCode).toBe(200);
    });

    it('should make random secrets at first start, keep them in the database and share them with every replica', async () => {
      const rows: { name: string; value: string }[] = await t.dataSource.query(
        'SELECT name, value FROM server_secrets ORDER BY name',
      );
      expect(rows.map((row) => row.name)).toEqual(['csrf', 'jwt']);
      const [csrf, jwt] = rows.map((row) => Buffer.from(row.value, 'base64'));
      expect(jwt.length).toBeGreaterThanOrEqual(32);
      expect(csrf.equals(jwt)).toBe(false);

      // A second process on the same database (a replica, or this one restarted) signs alike.
      const replica = await startTestApp({ database: t.database, env: { JWT_SECRET: '' } });
      try {
        const { accessToken } = (await loginApi(t, admin.email)).json();
        expect((await me(replica, accessToken)).statusCode).toBe(200);
        expect(
          await replica.dataSource.query('SELECT count(*)::int AS n FROM server_secrets'),
        ).toEqual([{ n: 2 }]);
      } finally {
        await replica.app.close();
      }
    });

    it('should derive page CSRF tokens from their own key, not the signing key', async () => {
      const { header } = await signInPage(t, admin.email);
      const html = (await page(t, header)).body;
      const { createHmac } = await import('node:crypto');
      const [{ value }] = await t.dataSource.query(
        `SELECT value FROM server_secrets WHERE name = 'jwt'`,
      );
      const session = header.split('=')[1];
      const withSigningKey = createHmac('sha256', Buffer.from(value, 'base64'))
        .update(`csrf:${session}`)
        .digest('base64url');
      expect(csrfOf(html)).not.toBe(withSigningKey);
    });
  });

  describe('sign-out', () => {
    it('should end an API session at once with POST /api/v1/auth/logout, and only that one', async () => {
      const first = (await loginApi(t, admin.email)).json().accessToken;
      const second = (await loginApi(t, admin.email)).json().accessToken;
      const out = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/logout',
        headers: bearer(first),
      });
      expect(out.statusCode).toBe(204);
      expect((await me(t, first)).statusCode).toBe(401);
      expect((await me(t, second)).statusCode).toBe(200);
    });

    it('should revoke the API token that signs out with it', async () => {
      const token = await apiToken(t, admin);
      const out = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/logout',
        headers: bearer(token),
      });
      expect(out.statusCode).toBe(204);
      expect((await me(t, token)).statusCode).toBe(401);
    });

    it('should end the page session on sign-out, so the old cookie opens nothing', async () => {
      const { header } = await signInPage(t, admin.email);
      const portfolio = await page(t, header);
      expect(portfolio.statusCode).toBe(200);
      const out = await t.app.inject({
        method: 'POST',
        url: '/logout',
        headers: { cookie: header, 'x-csrf-token': csrfOf(portfolio.body) },
      });
      expect([out.statusCode, out.headers.location]).toEqual([303, '/login']);
      const again = await page(t, header);
      expect([again.statusCode, again.headers.location]).toEqual([
        303,
        '/login?next=%2Fapp%2Fportfolio',
      ]);
    });

    it('should end a page session after SESSION_IDLE_MINUTES without a request, and after 12 hours in all', async () => {
      const clock = controlClock(t, new Date().toISOString());
      const start = clock.current.getTime();
      const minutes = (n: number) => new Date(start + n * 60_000);
      try {
        const idle = await signInPage(t, admin.email);
        const busy = await signInPage(t, admin.email);
        const api = (await loginApi(t, admin.email)).json().accessToken;
        clock.current = minutes(29);
        expect((await page(t, busy.header)).statusCode).toBe(200);
        clock.current = minutes(31);
        expect((await page(t, idle.header)).statusCode).toBe(303);
        expect((await page(t, busy.header)).statusCode).toBe(200);
        // An access token of the API does not idle out.
        expect((await me(t, api)).statusCode).toBe(200);
        // Kept busy, a page session still ends 12 hours after sign-in.
        for (let minute = 31 + 25; minute < 12 * 60; minute += 25) {
          clock.current = minutes(minute);
          expect((await page(t, busy.header)).statusCode).toBe(200);
        }
        clock.current = minutes(12 * 60 + 1);
        expect((await page(t, busy.header)).statusCode).toBe(303);
        expect((await me(t, api)).statusCode).toBe(401);
      } finally {
        clock.current = new Date();
      }
    });
  });

  describe('changes that end sessions', () => {
    it("should end the old access token, cookie and API tokens when an admin sets a user's password", async () => {
      const user = await createUser(t.dataSource, { role: 'itu_pm' });
      const access = (await loginApi(t, user.email)).json().accessToken;
      const { header } = await signInPage(t, user.email);
      const token = await apiToken(t, user);
      expect((await patchUser(admin, user.id, { password: NEW_PASSWORD })).statusCode).toBe(200);
      expect((await me(t, access)).statusCode).toBe(401);
      expect((await page(t, header)).statusCode).toBe(303);
      expect((await me(t, token)).statusCode).toBe(401);
      expect((await loginApi(t, user.email, NEW_PASSWORD)).statusCode).toBe(200);
    });

    it.each([
      ['a role change', { role: 'observer' }],
      ['a scope change', { countryCode: 'UG' }],
      ['disabling', { disabled: true }],
    ])('should end every session issued before %s', async (_case, change) => {
      const user = await createUser(t.dataSource, { role: 'national_team', countryCode: 'KE' });
      const access = (await loginApi(t, user.email)).json().accessToken;
      const { header } = await signInPage(t, user.email);
      expect((await me(t, access)).statusCode).toBe(200);
      expect((await patchUser(admin, user.id, change)).statusCode).toBe(200);
      expect((await me(t, access)).statusCode).toBe(401);
      const again = await t.app.inject({ method: 'GET', url: '/', headers: { cookie: header } });
      expect(again.statusCode).toBe(303);
      expect(again.headers.location).toMatch(/^\/login/);
    });

    it('should keep sessions when only the display name changes', async () => {
      const user = await createUser(t.dataSource, { role: 'observer' });
      const access = (await loginApi(t, user.email)).json().accessToken;
      expect((await patchUser(admin, user.id, { displayName: 'Renamed' })).statusCode).toBe(200);
      expect((await me(t, access)).statusCode).toBe(200);
    });
  });

  describe("an administrator and others' API tokens", () => {
    it("should list and revoke another user's API token", async () => {
      const user = await createUser(t.dataSource, { role: 'observer' });
      const token = await apiToken(t, user);
      const adminToken = await t.tokenFor(admin);
      const listed = await t.app.inject({
        method: 'GET',
        url: `/api/v1/users/${user.id}/tokens`,
        headers: bearer(adminToken),
      });
      expect(listed.statusCode).toBe(200);
      expect(listed.json()).toHaveLength(1);
      expect(listed.json()[0]).not.toHaveProperty('token');
      const tokenId = listed.json()[0].id;
      const revoke = (url: string) =>
        t.app.inject({ method: 'DELETE', url, headers: bearer(adminToken) });
      // A token named under another user is not found, whoever owns it.
      expect((await revoke(`/api/v1/users/${admin.id}/tokens/${tokenId}`)).statusCode).toBe(404);
      expect((await me(t, token)).statusCode).toBe(200);
      expect((await revoke(`/api/v1/users/${user.id}/tokens/${tokenId}`)).statusCode).toBe(204);
      expect((await me(t, token)).statusCode).toBe(401);
      expect(
        (
          await t.app.inject({
            method: 'GET',
            url: `/api/v1/users/00000000-0000-4000-8000-000000000000/tokens`,
            headers: bearer(adminToken),
          })
        ).statusCode,
      ).toBe(404);
    });
  });

  describe('PUT /api/v1/auth/me/password', () => {
    const change = (token: string, payload: unknown) =>
      t.app.inject({
        method: 'PUT',
        url: '/api/v1/auth/me/password',
        headers: { ...bearer(token), ...json },
        payload: payload as object,
      });
    const hashOf = async (user: TestUser) =>
      (await t.dataSource.query('SELECT password_hash FROM users WHERE id = $1', [user.id]))[0]
        .password_hash;

    it.each([
      ['a wrong current password', { currentPassword: 'wrong', newPassword: NEW_PASSWORD }, 400],
      ['a short new password', { currentPassword: TEST_PASSWORD, newPassword: 'short' }, 400],
      [
        'an unknown field',
        { currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD, x: 1 },
        400,
      ],
      ['a number', { currentPassword: TEST_PASSWORD, newPassword: 123456789012345 }, 400],
    ])('should refuse %s and change nothing', async (_case, payload, status) => {
      const user = await createUser(t.dataSource, { role: 'observer' });
      const before = await hashOf(user);
      const access = (await loginApi(t, user.email)).json().accessToken;
      const token = await apiToken(t, user);
      const answer = await change(access, payload);
      expect(answer.statusCode).toBe(status);
      expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
      if (_case === 'a wrong current password') {
        expect(answer.json().code).toBe('current_password_invalid');
      }
      expect(await hashOf(user)).toBe(before);
      expect((await me(t, token)).statusCode).toBe(200);
    });

    it('should refuse the e-mail address as the new password', async () => {
      const user = await createUser(t.dataSource, {
        role: 'observer',
        email: `long.address.${Date.now()}@example.org`,
      });
      const access = (await loginApi(t, user.email)).json().accessToken;
      const answer = await change(access, {
        currentPassword: TEST_PASSWORD,
        newPassword: user.email.toUpperCase(),
      });
      expect(answer.statusCode).toBe(400);
      expect(answer.json().errors).toEqual([
        {
          field: 'newPassword',
          code: 'password_is_email',
          message: 'newPassword must not be the e-mail address',
        },
      ]);
    });

    it('should change the password, keep the calling session and end the others and the API tokens', async () => {
      const user = await createUser(t.dataSource, { role: 'national_team', countryCode: 'KE' });
      const caller = (await loginApi(t, user.email)).json().accessToken;
      const other = (await loginApi(t, user.email)).json().accessToken;
      const token = await apiToken(t, user);
      const answer = await change(caller, {
        currentPassword: TEST_PASSWORD,
        newPassword: NEW_PASSWORD,
      });
      expect(answer.statusCode).toBe(204);
      expect((await me(t, caller)).statusCode).toBe(200);
      expect((await me(t, other)).statusCode).toBe(401);
      expect((await me(t, token)).statusCode).toBe(401);
      expect((await loginApi(t, user.email)).statusCode).toBe(401);
      expect((await loginApi(t, user.email, NEW_PASSWORD)).statusCode).toBe(200);
    });
  });

  describe('itu_pm and the accounts of their peers', () => {
    it('should let only an administrator create, change or disable itu_pm and admin accounts', async () => {
      const pm = await createUser(t.dataSource, { role: 'itu_pm' });
      const peer = await createUser(t.dataSource, { role: 'itu_pm' });
      const team = await createUser(t.dataSource, { role: 'national_team', countryCode: 'KE' });
      const pmToken = await t.tokenFor(pm);
      const hashOf = async (id: string) =>
        (
          await t.dataSource.query('SELECT password_hash, disabled FROM users WHERE id = $1', [id])
        )[0];
      const peerBefore = await hashOf(peer.id);
      const audit = async () =>
        (await t.dataSource.query('SELECT count(*)::int AS n FROM audit_events'))[0].n;
      const auditBefore = await audit();

      for (const change of [{ password: NEW_PASSWORD }, { disabled: true }, { role: 'observer' }]) {
        const answer = await patchUser(pm, peer.id, change);
        expect(answer.statusCode).toBe(403);
        expect(answer.json().code).toBe('admin_only');
      }
      // Nor may an itu_pm raise anyone to itu_pm or admin.
      expect((await patchUser(pm, team.id, { role: 'itu_pm' })).statusCode).toBe(403);
      for (const role of ['itu_pm', 'admin']) {
        const created = await t.app.inject({
          method: 'POST',
          url: '/api/v1/users',
          headers: bearer(pmToken),
          payload: {
            email: `${role}.by.pm.${Date.now()}@example.org`,
            displayName: 'X',
            role,
            password: NEW_PASSWORD,
          },
        });
        expect(created.statusCode).toBe(403);
      }
      expect(await hashOf(peer.id)).toEqual(peerBefore);
      expect(await audit()).toBe(auditBefore);

      // They still manage coordinators, national teams and observers; an admin manages them.
      expect((await patchUser(pm, team.id, { disabled: true })).statusCode).toBe(200);
      expect((await patchUser(admin, peer.id, { disabled: true })).statusCode).toBe(200);
    });
  });
});

describe('the sign-in limit under concurrency', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ env: { LOGIN_MAX_FAILURES: '10' } });
  });
  afterAll(() => t.close());

  it('should check at most LOGIN_MAX_FAILURES passwords however many attempts arrive at once', async () => {
    const user = await createUser(t.dataSource, { role: 'observer' });
    const inject: Inject = t.app.inject.bind(t.app);
    const answers = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          // Sixty addresses: the limit per e-mail must hold on its own.
          remoteAddress: `127.0.1.${i + 1}`,
          payload: { email: user.email, password: `wrong password ${i}` },
        }),
      ),
    );
    const statuses = answers.map((answer) => answer.statusCode);
    expect(statuses.filter((status) => status === 401)).toHaveLength(10);
    expect(statuses.filter((status) => status === 429)).toHaveLength(50);
    const [{ n }] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM audit_events WHERE action = 'auth.login_failed'`,
    );
    expect(n).toBe(10);
    // Even the right password waits for the window to end.
    expect((await loginApi(t, user.email)).statusCode).toBe(429);
  });

  it('should hold the limit per address too, across e-mails', async () => {
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        t.app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          remoteAddress: '127.0.2.1',
          payload: { email: `nobody.${i}@example.org`, password: 'wrong' },
        }),
      ),
    );
    const statuses = answers.map((answer) => answer.statusCode);
    expect(statuses.filter((status) => status === 401)).toHaveLength(10);
    expect(statuses.filter((status) => status === 429)).toHaveLength(20);
  });
});

describe('the session cookie behind https', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ env: { PUBLIC_URL: 'https://cirt.example.org' } });
  });
  afterAll(() => t.close());

  it('should be a Secure __Host- cookie for this host and path only', async () => {
    const user = await createUser(t.dataSource, { role: 'observer' });
    const response = await t.app.inject({
      method: 'POST',
      url: '/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ email: user.email, password: TEST_PASSWORD }).toString(),
    });
    expect(response.statusCode).toBe(303);
    const setCookie = [response.headers['set-cookie']].flat().join('\n');
    expect(setCookie).toMatch(
      /^__Host-cirt_session=[^;]+; Max-Age=\d+; Path=\/; HttpOnly; Secure; SameSite=Lax$/m,
    );
    expect(setCookie).not.toMatch(/Domain=/i);
    expect(setCookie).not.toMatch(/^cirt_session=/m);
    const { header } = await signInPage(t, user.email, '__Host-cirt_session');
    expect((await page(t, header)).statusCode).toBe(200);
    // The plain name is not read: a cookie set over http or by a sibling host cannot stand in.
    const plain = header.replace('__Host-cirt_session', 'cirt_session');
    expect((await page(t, plain)).statusCode).toBe(303);
  });
});
