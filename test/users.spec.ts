import { TEST_PASSWORD, type Staff, createStaff, createUser } from './factories/users.js';
import { type TestApp, bearer, startTestApp } from './support/test-app.js';

describe('users', () => {
  let t: TestApp;
  let staff: Staff;

  beforeAll(async () => {
    t = await startTestApp();
    staff = await createStaff(t.dataSource);
  });
  afterAll(() => t.close());

  const as = async (
    who: keyof Staff,
    method: 'GET' | 'POST' | 'PATCH',
    url: string,
    payload?: object,
  ) => t.app.inject({ method, url, payload, headers: bearer(await t.tokenFor(staff[who])) });
  const counts = async () =>
    (
      await t.dataSource.query(
        `SELECT (SELECT count(*)::int FROM users) AS users, (SELECT count(*)::int FROM audit_events) AS audit`,
      )
    )[0] as { users: number; audit: number };
  const valid = (extra: object = {}) => ({
    email: `someone.${Math.random().toString(36).slice(2)}@example.org`,
    displayName: 'Someone',
    role: 'observer',
    password: TEST_PASSWORD,
    ...extra,
  });

  it('should create a national team user for a country and audit it in the same transaction', async () => {
    const before = await counts();
    const response = await as(
      'itu_pm',
      'POST',
      '/api/v1/users',
      valid({
        email: ' Kofi@Example.ORG ',
        role: 'national_team',
        countryCode: 'GH',
        locale: 'fr',
      }),
    );
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({
      email: 'kofi@example.org',
      role: 'national_team',
      countryCode: 'GH',
      regionCode: null,
      locale: 'fr',
      disabled: false,
    });
    expect(response.json().passwordHash).toBeUndefined();
    expect(await counts()).toEqual({ users: before.users + 1, audit: before.audit + 1 });
    const [event] = await t.dataSource.query(
      `SELECT actor_id, action, entity_id, after FROM audit_events ORDER BY id DESC LIMIT 1`,
    );
    expect(event).toMatchObject({
      actor_id: staff.itu_pm.id,
      action: 'user.created',
      entity_id: response.json().id,
    });
    expect(JSON.stringify(event.after)).not.toContain('argon2');
  });

  it.each([
    ['a national_team user without a country', { role: 'national_team' }, 'countryCode'],
    [
      'a national_team user with a region',
      { role: 'national_team', countryCode: 'KE', regionCode: 'AFR' },
      'regionCode',
    ],
    ['a coordinator without a region', { role: 'regional_coordinator' }, 'regionCode'],
    [
      'a coordinator with a country',
      { role: 'regional_coordinator', regionCode: 'AFR', countryCode: 'KE' },
      'countryCode',
    ],
    ['an itu_pm with a region', { role: 'itu_pm', regionCode: 'EUR' }, 'regionCode'],
    ['a country that is not tracked', { role: 'national_team', countryCode: 'ZZ' }, 'countryCode'],
    ['a lower-case country code', { role: 'national_team', countryCode: 'ke' }, 'countryCode'],
    ['an unknown region', { role: 'regional_coordinator', regionCode: 'MARS' }, 'regionCode'],
    ['an unknown role', { role: 'superuser' }, 'role'],
    ['an unknown field', { isAdmin: true }, 'isAdmin'],
    ['a malformed e-mail', { email: 'not-an-email' }, 'email'],
    ['an overlong display name', { displayName: 'x'.repeat(201) }, 'displayName'],
    ['a short password', { password: 'short' }, 'password'],
    ['an unknown locale', { locale: 'de' }, 'locale'],
    ['a number for a name', { displayName: 7 }, 'displayName'],
  ])('should answer 400 problem+json to %s and write nothing', async (_case, extra, field) => {
    const before = await counts();
    const response = await as('admin', 'POST', '/api/v1/users', valid(extra));
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json().errors.map((error: { field: string }) => error.field)).toContain(field);
    expect(await counts()).toEqual(before);
  });

  it('should answer 409 to an e-mail that exists in another letter case, and write nothing', async () => {
    const before = await counts();
    const response = await as(
      'admin',
      'POST',
      '/api/v1/users',
      valid({ email: staff.observer.email.toUpperCase() }),
    );
    expect(response.statusCode).toBe(409);
    expect(response.json().code).toBe('email_taken');
    expect(await counts()).toEqual(before);
  });

  it('should let only an administrator create or change administrators', async () => {
    const before = await counts();
    const refused = await as('itu_pm', 'POST', '/api/v1/users', valid({ role: 'admin' }));
    expect(refused.statusCode).toBe(403);
    expect(refused.json().code).toBe('admin_only');
    const promote = await as('itu_pm', 'PATCH', `/api/v1/users/${staff.observer.id}`, {
      role: 'admin',
    });
    expect(promote.statusCode).toBe(403);
    const demote = await as('itu_pm', 'PATCH', `/api/v1/users/${staff.admin.id}`, {
      displayName: 'Hacked',
    });
    expect(demote.statusCode).toBe(403);
    expect(await counts()).toEqual(before);

    expect((await as('admin', 'POST', '/api/v1/users', valid({ role: 'admin' }))).statusCode).toBe(
      201,
    );
  });

  it("should drop the old role's scope when the role changes, and refuse a role without its scope", async () => {
    const user = await createUser(t.dataSource, { role: 'national_team', countryCode: 'KE' });
    const changed = await as('itu_pm', 'PATCH', `/api/v1/users/${user.id}`, { role: 'observer' });
    expect(changed.statusCode).toBe(200);
    expect(changed.json()).toMatchObject({ role: 'observer', countryCode: null, regionCode: null });

    const before = await counts();
    const missing = await as('itu_pm', 'PATCH', `/api/v1/users/${user.id}`, {
      role: 'regional_coordinator',
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().errors).toEqual([
      {
        field: 'regionCode',
        code: 'region_code_required',
        message: 'a regional_coordinator user needs a regionCode',
      },
    ]);
    expect(await counts()).toEqual(before);

    const moved = await as('itu_pm', 'PATCH', `/api/v1/users/${user.id}`, {
      role: 'regional_coordinator',
      regionCode: 'ASP',
    });
    expect(moved.json()).toMatchObject({ role: 'regional_coordinator', regionCode: 'ASP' });
  });

  it('should answer 404 for an unknown user and 400 for an id that is not a UUID', async () => {
    expect(
      (await as('admin', 'GET', '/api/v1/users/00000000-0000-4000-8000-000000000000')).statusCode,
    ).toBe(404);
    expect((await as('admin', 'PATCH', '/api/v1/users/42', { displayName: 'x' })).statusCode).toBe(
      400,
    );
  });

  it('should list users by page, filtered by role and by part of the name or e-mail', async () => {
    const page = await as('admin', 'GET', '/api/v1/users?role=regional_coordinator&pageSize=1');
    expect(page.statusCode).toBe(200);
    expect(page.json()).toMatchObject({ page: 1, pageSize: 1 });
    expect(page.json().items).toHaveLength(1);
    expect(page.json().items[0].role).toBe('regional_coordinator');

    const search = await as(
      'admin',
      'GET',
      `/api/v1/users?q=${encodeURIComponent(staff.observer.email)}`,
    );
    expect(search.json().items.map((user: { id: string }) => user.id)).toEqual([staff.observer.id]);

    expect((await as('admin', 'GET', '/api/v1/users?pageSize=500')).statusCode).toBe(400);
    expect((await as('admin', 'GET', '/api/v1/users?q=%25%25')).json().total).toBe(0);
  });

  it('should filter users by region (coordinators and national teams), country and state', async () => {
    const ghana = await createUser(t.dataSource, { role: 'national_team', countryCode: 'GH' });
    const france = await createUser(t.dataSource, { role: 'national_team', countryCode: 'FR' });
    const europe = await createUser(t.dataSource, {
      role: 'regional_coordinator',
      regionCode: 'EUR',
    });
    const gone = await createUser(t.dataSource, { role: 'observer', disabled: true });
    const ids = async (query: string, who: keyof Staff = 'admin') => {
      const response = await as(who, 'GET', `/api/v1/users?pageSize=200&${query}`);
      expect([query, response.statusCode]).toEqual([query, 200]);
      return (response.json().items as { id: string }[]).map((user) => user.id).sort();
    };

    expect(await ids('regionCode=EUR')).toEqual([france.id, europe.id].sort());
    // Other tests add African national teams: Africa's list holds these, and no one from elsewhere.
    const africa = await ids('regionCode=AFR');
    expect(africa).toEqual(
      expect.arrayContaining([ghana.id, staff.national_team.id, staff.regional_coordinator.id]),
    );
    for (const other of [france.id, europe.id, staff.admin.id, gone.id])
      expect(africa).not.toContain(other);
    const africanTeams = await ids('regionCode=AFR&role=national_team');
    expect(africanTeams).toEqual(expect.arrayContaining([ghana.id, staff.national_team.id]));
    expect(africanTeams).not.toContain(staff.regional_coordinator.id);
    expect(await ids(`countryCode=GH&q=${encodeURIComponent(ghana.email)}`)).toEqual([ghana.id]);
    expect(await ids('countryCode=FR')).toEqual([france.id]);
    expect(await ids('countryCode=GH&regionCode=EUR')).toEqual([]);
    expect(await ids('disabled=true')).toEqual([gone.id]);
    const active = await ids('disabled=false');
    expect(active).toEqual(expect.arrayContaining([ghana.id, staff.admin.id]));
    expect(active).not.toContain(gone.id);
    // An itu_pm reads every user, as the other routes let it read any one of them.
    expect(await ids('regionCode=EUR', 'itu_pm')).toEqual([france.id, europe.id].sort());

    for (const bad of ['regionCode=XYZ', 'countryCode=ke', 'countryCode=KEN', 'disabled=yes']) {
      expect([bad, (await as('admin', 'GET', `/api/v1/users?${bad}`)).statusCode]).toEqual([
        bad,
        400,
      ]);
    }
  });
});

describe('audit_events', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it.each([
    ['UPDATE', `UPDATE audit_events SET action = 'tampered'`],
    ['DELETE', `DELETE FROM audit_events`],
    ['TRUNCATE', `TRUNCATE audit_events`],
  ])('should refuse %s at the database', async (_op, sql) => {
    await t.dataSource.query(
      `INSERT INTO audit_events (action, entity_type) VALUES ('test.event', 'test')`,
    );
    await expect(t.dataSource.query(sql)).rejects.toThrow(/append-only/);
    expect(
      (
        await t.dataSource.query(
          `SELECT count(*)::int AS n FROM audit_events WHERE action = 'tampered'`,
        )
      )[0].n,
    ).toBe(0);
  });
});

describe('the first administrator', () => {
  it('should be created from ADMIN_EMAIL and ADMIN_PASSWORD when there are no users, once', async () => {
    const env = { ADMIN_EMAIL: 'Root@Example.org', ADMIN_PASSWORD: 'first admin password' };
    const first = await startTestApp({ env });
    try {
      const login = await first.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: 'root@example.org', password: 'first admin password' },
      });
      expect(login.statusCode).toBe(200);
      expect(login.json().user.role).toBe('admin');

      const second = await startTestApp({
        database: first.database,
        env: { ADMIN_EMAIL: 'other@example.org', ADMIN_PASSWORD: 'another password here' },
      });
      await second.close();
      expect(await first.dataSource.query('SELECT email FROM users')).toEqual([
        { email: 'root@example.org' },
      ]);
    } finally {
      await first.close();
    }
  });
});
