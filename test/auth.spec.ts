import { TEST_PASSWORD, type TestUser, createUser } from './factories/users.js';
import { type TestApp, bearer, startTestApp } from './support/test-app.js';
import { cloneTemplateDatabase } from './support/test-database.js';

describe('sign-in and tokens', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const login = (app: TestApp, email: string, password: string) =>
    app.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });
  const me = (token: string) =>
    t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(token) });
  const auditCount = async (action: string) =>
    (
      await t.dataSource.query('SELECT count(*)::int AS n FROM audit_events WHERE action = $1', [
        action,
      ])
    )[0].n;

  it('should sign in with the right password, whatever the letter case of the e-mail', async () => {
    const user = await createUser(t.dataSource, { role: 'national_team', countryCode: 'KE' });
    const before = await auditCount('auth.login_succeeded');
    const response = await login(t, user.email.toUpperCase(), TEST_PASSWORD);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      tokenType: 'Bearer',
      expiresIn: 12 * 3600,
      user: { id: user.id, role: 'national_team', countryCode: 'KE' },
    });
    const caller = await me(response.json().accessToken);
    expect(caller.json()).toEqual({
      id: user.id,
      email: user.email,
      displayName: 'Test national_team',
      role: 'national_team',
      countryCode: 'KE',
      locale: 'en',
      timezone: null,
      passwordChangeRequired: false,
    });
    expect(await auditCount('auth.login_succeeded')).toBe(before + 1);
  });

  it('should refuse an unknown e-mail, a wrong password and a disabled user with the same answer', async () => {
    const user = await createUser(t.dataSource, { role: 'observer' });
    const disabled = await createUser(t.dataSource, { role: 'observer', disabled: true });
    const before = await auditCount('auth.login_failed');
    const answers = await Promise.all([
      login(t, 'nobody@example.org', TEST_PASSWORD),
      login(t, user.email, 'a wrong password entirely'),
      login(t, disabled.email, TEST_PASSWORD),
    ]);
    const bodies = answers.map((answer) => {
      expect(answer.statusCode).toBe(401);
      expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
      const { requestId, ...body } = answer.json();
      expect(requestId).toBeDefined();
      return body;
    });
    expect(bodies[0]).toEqual({
      type: 'about:blank',
      title: 'Unauthorized',
      status: 401,
      detail: 'E-mail or password is wrong',
      code: 'invalid_credentials',
    });
    expect(bodies[1]).toEqual(bodies[0]);
    expect(bodies[2]).toEqual(bodies[0]);
    expect(await auditCount('auth.login_failed')).toBe(before + 3);
  });

  it('should store passwords as argon2id hashes', async () => {
    await createUser(t.dataSource, { role: 'observer' });
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: bearer(await t.tokenFor(await createUser(t.dataSource, { role: 'admin' }))),
      payload: {
        email: 'hashed@example.org',
        displayName: 'H',
        role: 'observer',
        password: 'a long enough password',
      },
    });
    expect(response.statusCode).toBe(201);
    const rows: { password_hash: string }[] = await t.dataSource.query(
      'SELECT password_hash FROM users',
    );
    expect(rows.length).toBeGreaterThan(1);
    for (const row of rows)
      expect(row.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
  });

  describe('API tokens', () => {
    let owner: TestUser;
    let accessToken: string;

    beforeAll(async () => {
      owner = await createUser(t.dataSource, { role: 'itu_pm' });
      accessToken = await t.tokenFor(owner);
    });

    const createToken = async (payload: object = { name: 'nightly export' }) => {
      const response = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/tokens',
        headers: bearer(accessToken),
        payload,
      });
      expect(response.statusCode).toBe(201);
      return response.json() as { id: string; token: string; expiresAt: string };
    };

    it('should show the token once, store only its hash, and accept it as a Bearer token', async () => {
      const created = await createToken({ name: 'nightly export', expiresInDays: 30 });
      expect(created.token).toMatch(/^cirt_[\w-]{43}$/);
      expect(new Date(created.expiresAt).getTime() - Date.now()).toBeGreaterThan(29 * 86_400_000);

      const stored = JSON.stringify(await t.dataSource.query('SELECT * FROM api_tokens'));
      expect(stored).not.toContain(created.token);
      expect(stored).not.toContain(created.token.slice(5));

      expect((await me(created.token)).json().id).toBe(owner.id);
      const listed = await t.app.inject({
        method: 'GET',
        url: '/api/v1/auth/tokens',
        headers: bearer(accessToken),
      });
      expect(JSON.stringify(listed.json())).not.toContain(created.token);
      expect(listed.json().map((token: { id: string }) => token.id)).toContain(created.id);
    });

    it('should answer 401 for a revoked, an expired or an unknown token', async () => {
      const revoked = await createToken();
      const revoke = await t.app.inject({
        method: 'DELETE',
        url: `/api/v1/auth/tokens/${revoked.id}`,
        headers: bearer(accessToken),
      });
      expect(revoke.statusCode).toBe(204);
      expect((await me(revoked.token)).statusCode).toBe(401);

      const expired = await createToken();
      await t.dataSource.query(
        `UPDATE api_tokens SET expires_at = now() - interval '1 second' WHERE id = $1`,
        [expired.id],
      );
      expect((await me(expired.token)).statusCode).toBe(401);

      expect((await me('cirt_thisTokenWasNeverIssuedByUsAtAll00000000000')).statusCode).toBe(401);
      expect((await me('not.a.jwt')).statusCode).toBe(401);
    });

    it.each([
      ['an unknown field', { name: 'x', scopes: ['all'] }],
      ['an empty name', { name: '   ' }],
      ['an overlong name', { name: 'x'.repeat(101) }],
      ['a lifetime of zero days', { name: 'x', expiresInDays: 0 }],
      ['a lifetime beyond two years', { name: 'x', expiresInDays: 731 }],
      ['a text lifetime', { name: 'x', expiresInDays: 'forever' }],
    ])('should answer 400 to a token with %s and store nothing', async (_case, payload) => {
      const before = await t.dataSource.query('SELECT count(*)::int AS n FROM api_tokens');
      const response = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/tokens',
        headers: bearer(accessToken),
        payload,
      });
      expect(response.statusCode).toBe(400);
      expect(response.json().code).toBe('validation_failed');
      expect(await t.dataSource.query('SELECT count(*)::int AS n FROM api_tokens')).toEqual(before);
    });

    it('should refuse an access token signed with another key', async () => {
      const [header, payload] = (await t.tokenFor(owner)).split('.');
      expect((await me(`${header}.${payload}.c2lnbmVkIGJ5IHNvbWVvbmUgZWxzZQ`)).statusCode).toBe(
        401,
      );
    });
  });

  it("should answer 401 to a disabled user's access token and API token on the next request", async () => {
    const admin = await createUser(t.dataSource, { role: 'admin' });
    const user = await createUser(t.dataSource, { role: 'national_team', countryCode: 'GH' });
    const access = await t.tokenFor(user);
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/tokens',
      headers: bearer(access),
      payload: { name: 'script' },
    });
    const apiToken = created.json().token;
    expect((await me(access)).statusCode).toBe(200);
    expect((await me(apiToken)).statusCode).toBe(200);

    const disable = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${user.id}`,
      headers: bearer(await t.tokenFor(admin)),
      payload: { disabled: true },
    });
    expect(disable.statusCode).toBe(200);
    expect((await me(access)).statusCode).toBe(401);
    expect((await me(apiToken)).statusCode).toBe(401);
  });

  it.each([
    ['an unknown field', { email: 'a@example.org', password: 'x', remember: true }],
    ['a missing password', { email: 'a@example.org' }],
    ['a number for the e-mail', { email: 42, password: 'x' }],
    ['an overlong password', { email: 'a@example.org', password: 'x'.repeat(257) }],
  ])('should answer 400 to a login with %s and count no failure', async (_case, payload) => {
    const before = await auditCount('auth.login_failed');
    const response = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload });
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('validation_failed');
    expect(await auditCount('auth.login_failed')).toBe(before);
  });
});

describe("one's own account settings and a password someone else chose", () => {
  let t: TestApp;
  let admin: TestUser;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await createUser(t.dataSource, { role: 'admin' });
  });
  afterAll(() => t.close());

  const call = (
    method: 'GET' | 'POST' | 'PUT' | 'PATCH',
    url: string,
    token: string,
    payload?: object,
  ) => t.app.inject({ method, url, headers: bearer(token), ...(payload ? { payload } : {}) });
  const signIn = async (email: string, password: string) => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email, password },
    });
    expect(response.statusCode).toBe(200);
    return response.json() as { accessToken: string; user: { passwordChangeRequired: boolean } };
  };
  const INITIAL = 'an initial password chosen by the admin';
  const OWN = 'a password of my very own';

  it('should let a new user do nothing but choose their own password, see who they are and sign out, until they have', async () => {
    const adminToken = await t.tokenFor(admin);
    const created = await call('POST', '/api/v1/users', adminToken, {
      email: `new.${Date.now()}@example.org`,
      displayName: 'New Person',
      role: 'national_team',
      countryCode: 'KE',
      password: INITIAL,
    });
    expect(created.statusCode).toBe(201);
    expect(created.json().passwordChangeRequired).toBe(true);

    const session = await signIn(created.json().email, INITIAL);
    expect(session.user.passwordChangeRequired).toBe(true);
    const me = await call('GET', '/api/v1/auth/me', session.accessToken);
    expect(me.statusCode).toBe(200);
    expect(me.json().passwordChangeRequired).toBe(true);
    for (const [method, url, body] of [
      ['GET', '/api/v1/programmes'],
      ['POST', '/api/v1/auth/tokens', { name: 'before choosing' }],
      ['PATCH', '/api/v1/auth/me', { locale: 'fr' }],
    ] as const) {
      const refused = await call(method, url, session.accessToken, body);
      expect(refused.statusCode).toBe(403);
      expect(refused.json().code).toBe('password_change_required');
    }
    const tokens = await t.dataSource.query('SELECT 1 FROM api_tokens WHERE user_id = $1', [
      created.json().id,
    ]);
    expect(tokens).toEqual([]);

    const second = await signIn(created.json().email, INITIAL);
    expect((await call('POST', '/api/v1/auth/logout', second.accessToken)).statusCode).toBe(204);
    expect((await call('GET', '/api/v1/auth/me', second.accessToken)).statusCode).toBe(401);

    const changed = await call('PUT', '/api/v1/auth/me/password', session.accessToken, {
      currentPassword: INITIAL,
      newPassword: OWN,
    });
    expect(changed.statusCode).toBe(204);
    expect((await call('GET', '/api/v1/programmes', session.accessToken)).statusCode).toBe(200);
    expect(
      (await call('GET', '/api/v1/auth/me', session.accessToken)).json().passwordChangeRequired,
    ).toBe(false);
  });

  it('should require a new password after an administrator resets it, but not after they change their own', async () => {
    const user = await createUser(t.dataSource, { role: 'observer' });
    const adminToken = await t.tokenFor(admin);
    const reset = await call('PATCH', `/api/v1/users/${user.id}`, adminToken, {
      password: INITIAL,
    });
    expect(reset.statusCode).toBe(200);
    expect(reset.json().passwordChangeRequired).toBe(true);
    const session = await signIn(user.email, INITIAL);
    expect((await call('GET', '/api/v1/programmes', session.accessToken)).statusCode).toBe(403);

    const own = await call('PATCH', `/api/v1/users/${admin.id}`, adminToken, { password: OWN });
    expect(own.statusCode).toBe(200);
    expect(own.json().passwordChangeRequired).toBe(false);
  });

  it("should set one's language and time zone, refuse a zone that is not one changing nothing, and clear the zone with null", async () => {
    const user = await createUser(t.dataSource, { role: 'national_team', countryCode: 'KE' });
    const token = await t.tokenFor(user);
    const set = await call('PATCH', '/api/v1/auth/me', token, {
      locale: 'ar',
      timezone: 'Africa/Nairobi',
    });
    expect(set.statusCode).toBe(200);
    expect(set.json()).toMatchObject({ locale: 'ar', timezone: 'Africa/Nairobi' });

    for (const bad of [{ timezone: 'Mars/Olympus_Mons' }, { locale: 'de' }, { role: 'admin' }]) {
      const refused = await call('PATCH', '/api/v1/auth/me', token, bad);
      expect(refused.statusCode).toBe(400);
      expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    const me = await call('GET', '/api/v1/auth/me', token);
    expect(me.json()).toMatchObject({
      role: 'national_team',
      locale: 'ar',
      timezone: 'Africa/Nairobi',
    });

    const cleared = await call('PATCH', '/api/v1/auth/me', token, { timezone: null });
    expect(cleared.json()).toMatchObject({ locale: 'ar', timezone: null });
    // The daily digest follows the account's zone when the preferences name none.
    await call('PATCH', '/api/v1/auth/me', token, { timezone: 'Asia/Tokyo' });
    const preferences = await call('GET', '/api/v1/auth/me/notification-preferences', token);
    expect(preferences.json().digestTimezone).toBe('Asia/Tokyo');
  });
});

describe('repeated failed sign-ins', () => {
  it('should answer 429 after the configured failures, counted across two instances sharing the database', async () => {
    const database = await cloneTemplateDatabase('limit');
    const env = { LOGIN_MAX_FAILURES: '4', LOGIN_FAILURE_WINDOW_SECONDS: '600' };
    const first = await startTestApp({ database, env });
    const second = await startTestApp({ database, env });
    try {
      const user = await createUser(first.dataSource, { role: 'observer' });
      const attempt = (app: TestApp, password: string) =>
        app.app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          payload: { email: user.email, password },
        });

      const statuses = [];
      for (const app of [first, second, first, second]) {
        statuses.push((await attempt(app, 'wrong password')).statusCode);
      }
      expect(statuses).toEqual([401, 401, 401, 401]);

      for (const app of [first, second]) {
        const refused = await attempt(app, TEST_PASSWORD);
        expect(refused.statusCode).toBe(429);
        expect(refused.json().code).toBe('too_many_requests');
        expect(Number(refused.headers['retry-after'])).toBeGreaterThan(500);
      }
    } finally {
      await first.close();
      await second.close();
      await database.drop();
    }
  });
});
