import { createUser } from './factories/users.js';
import { type TestApp, client, startTestApp } from './support/test-app.js';

const REPORT = { scope: { countryCodes: ['KE'] }, formats: ['json'] };

describe('rate limits per user', () => {
  let t: TestApp;
  // A second replica of the same deployment: same database, same Redis and prefix.
  let replica: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
    replica = await startTestApp({ database: t.database });
  });
  afterAll(async () => {
    await replica.close();
    await t.close();
  });

  const reportsOf = async (userId: string) =>
    (
      await t.dataSource.query('SELECT count(*)::int AS n FROM reports WHERE requested_by = $1', [
        userId,
      ])
    )[0].n;

  it('should accept 10 of 15 report requests sent at once by one user and answer the rest 429 with Retry-After', async () => {
    const user = await createUser(t.dataSource, { role: 'itu_pm' });
    const as = client(t, user);
    const answers = await Promise.all(
      Array.from({ length: 15 }, () => as('POST', '/api/v1/reports', REPORT)),
    );
    expect(answers.map((answer) => answer.statusCode).sort()).toEqual([
      ...Array(10).fill(202),
      ...Array(5).fill(429),
    ]);
    for (const refused of answers.filter((answer) => answer.statusCode === 429)) {
      expect(refused.headers['content-type']).toContain('application/problem+json');
      expect(refused.json()).toMatchObject({ status: 429, code: 'too_many_requests' });
      const retryAfter = Number(refused.headers['retry-after']);
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
    }
    expect(await reportsOf(user.id)).toBe(10);

    // Another user is not affected.
    const other = await createUser(t.dataSource, { role: 'itu_pm' });
    expect((await client(t, other)('POST', '/api/v1/reports', REPORT)).statusCode).toBe(202);
  });

  it('should count only the requests carried out: bad input is given back', async () => {
    const user = await createUser(t.dataSource, { role: 'itu_pm' });
    const as = client(t, user);
    const bad = await Promise.all(
      Array.from({ length: 8 }, () =>
        as('POST', '/api/v1/reports', { ...REPORT, formats: ['docx'] }),
      ),
    );
    expect(bad.map((answer) => answer.statusCode)).toEqual(Array(8).fill(400));
    const answers = await Promise.all(
      Array.from({ length: 12 }, () => as('POST', '/api/v1/reports', REPORT)),
    );
    expect(answers.map((answer) => answer.statusCode).sort()).toEqual([
      ...Array(10).fill(202),
      ...Array(2).fill(429),
    ]);
  });

  it('should count a user across every replica', async () => {
    const user = await createUser(t.dataSource, { role: 'admin' });
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        client(i % 2 === 0 ? t : replica, user)('POST', '/api/v1/reports', REPORT),
      ),
    );
    expect(answers.filter((answer) => answer.statusCode === 202)).toHaveLength(10);
    expect(answers.filter((answer) => answer.statusCode === 429)).toHaveLength(2);
    expect(await reportsOf(user.id)).toBe(10);
  });

  it('should let a user create 10 API tokens an hour and answer the rest 429 with Retry-After', async () => {
    const user = await createUser(t.dataSource, { role: 'observer' });
    const as = client(t, user);
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) => as('POST', '/api/v1/auth/tokens', { name: `t${i}` })),
    );
    expect(answers.map((answer) => answer.statusCode).sort()).toEqual([
      ...Array(10).fill(201),
      ...Array(2).fill(429),
    ]);
    const refused = answers.find((answer) => answer.statusCode === 429)!;
    expect(refused.json()).toMatchObject({ code: 'too_many_requests' });
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(60);
    expect(retryAfter).toBeLessThanOrEqual(3_600);
    expect(
      await t.dataSource.query('SELECT count(*)::int AS n FROM api_tokens WHERE user_id = $1', [
        user.id,
      ]),
    ).toEqual([{ n: 10 }]);
    const other = await createUser(t.dataSource, { role: 'observer' });
    expect(
      (await client(t, other)('POST', '/api/v1/auth/tokens', { name: 'mine' })).statusCode,
    ).toBe(201);
  });
});
