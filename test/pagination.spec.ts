import { createProgramme } from './factories/programmes.js';
import { type Staff, createStaff } from './factories/users.js';
import { type TestApp, client, startTestApp } from './support/test-app.js';

/**
 * Every list answers its true total on every page, a page past the end included: the total is
 * not taken from the rows of the page (`GET /api/v1/audit?page=99999` said 0 of 3,384 rows).
 */
describe('pages past the end', () => {
  let t: TestApp;
  let staff: Staff;
  let programmeId: string;

  beforeAll(async () => {
    t = await startTestApp();
    staff = await createStaff(t.dataSource);
    const admin = client(t, staff.admin);
    const programme = await createProgramme(t, staff.admin, { countryCode: 'KE' });
    await createProgramme(t, staff.admin, { countryCode: 'GH' });
    programmeId = programme.id;
    for (const health of ['on_track', 'at_risk']) {
      const updated = await admin('POST', `/api/v1/programmes/${programmeId}/status-updates`, {
        health,
        summary: `Now ${health}`,
      });
      expect(updated.statusCode).toBe(201);
    }
    for (const formats of [['json'], ['csv']]) {
      const requested = await admin('POST', '/api/v1/reports', { scope: {}, formats });
      expect(requested.statusCode).toBe(202);
    }
    for (const cron of ['0 7 * * 1', '0 8 * * 2']) {
      const created = await admin('POST', '/api/v1/report-schedules', {
        cron,
        scope: { regionCode: 'AFR' },
        formats: ['csv'],
        recipients: [staff.admin.email],
      });
      expect(created.statusCode).toBe(201);
    }
    await t.dataSource.query(
      `INSERT INTO notifications (kind, channel, dedupe_key, programme_id, country_code, recipient,
                                  subject, body_text, not_before)
       SELECT 'reminder.status_update_stale', 'email', 'pagination-test:' || n, $1, 'KE',
              'focal@example.org', 'Subject', 'Text', now()
       FROM generate_series(1, 3) AS n`,
      [programmeId],
    );
  });
  afterAll(() => t.close());

  const count = async (sql: string, params: unknown[] = []) =>
    ((await t.dataSource.query(sql, params)) as { n: number }[])[0]!.n;

  const lists: [string, () => string, () => Promise<number>][] = [
    ['audit', () => '/api/v1/audit', () => count('SELECT count(*)::int AS n FROM audit_events')],
    [
      'notifications',
      () => '/api/v1/notifications',
      () => count('SELECT count(*)::int AS n FROM notifications'),
    ],
    ['reports', () => '/api/v1/reports', () => count('SELECT count(*)::int AS n FROM reports')],
    [
      'report schedules',
      () => '/api/v1/report-schedules',
      () => count('SELECT count(*)::int AS n FROM report_schedules'),
    ],
    ['users', () => '/api/v1/users', () => count('SELECT count(*)::int AS n FROM users')],
    [
      'programmes',
      () => '/api/v1/programmes',
      () => count('SELECT count(*)::int AS n FROM programmes'),
    ],
    [
      'milestones',
      () => `/api/v1/programmes/${programmeId}/milestones`,
      () =>
        count('SELECT count(*)::int AS n FROM milestones WHERE programme_id = $1', [programmeId]),
    ],
    [
      'status updates',
      () => `/api/v1/programmes/${programmeId}/status-updates`,
      () =>
        count('SELECT count(*)::int AS n FROM status_updates WHERE programme_id = $1', [
          programmeId,
        ]),
    ],
  ];

  it.each(lists)(
    'should answer no items and the true total on a page past the end of %s',
    async (_name, url, realCount) => {
      const expected = await realCount();
      expect(expected).toBeGreaterThan(1);
      const response = await client(t, staff.admin)('GET', `${url()}?page=9999&pageSize=2`);
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ items: [], total: expected, page: 9999, pageSize: 2 });
      // and the same total on the first page, whose items are the first rows
      const first = (await client(t, staff.admin)('GET', `${url()}?page=1&pageSize=2`)).json();
      expect(first.total).toBe(expected);
      expect(first.items).toHaveLength(2);
    },
  );
});
