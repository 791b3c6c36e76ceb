import pg from 'pg';
import { createProgramme } from './factories/programmes.js';
import { createUser } from './factories/users.js';
import { TcpProxy } from './support/tcp-proxy.js';
import { type TestApp, client, startTestApp } from './support/test-app.js';
import { type TestDatabase, cloneTemplateDatabase } from './support/test-database.js';
import { waitFor } from './support/wait.js';

describe('PostgreSQL outage', () => {
  let database: TestDatabase;
  let proxy: TcpProxy;
  let t: TestApp;

  beforeAll(async () => {
    database = await cloneTemplateDatabase('outage');
    const url = new URL(database.url);
    proxy = new TcpProxy({ host: url.hostname, port: Number(url.port || 5432) });
    await proxy.start();
    url.port = String(proxy.port);
    t = await startTestApp({ database: { ...database, url: url.toString() } });
  });
  // A test that failed halfway leaves PostgreSQL reachable for the next.
  afterEach(() => proxy.start());
  afterAll(async () => {
    await t.close();
    await proxy.stop();
    await database.drop();
  });

  it('should answer 503 with Retry-After while PostgreSQL is away, and serve again once it is back', async () => {
    const admin = await createUser(t.dataSource, { role: 'admin' });
    const as = client(t, admin);
    expect((await as('GET', '/api/v1/programmes')).statusCode).toBe(200);

    await proxy.stop();
    const read = await as('GET', '/api/v1/programmes');
    const write = await as('POST', '/api/v1/programmes', {
      countryCode: 'KE',
      cirtType: 'national',
    });
    for (const answer of [read, write]) {
      expect(answer.statusCode).toBe(503);
      expect(answer.headers['retry-after']).toBe('5');
      expect(answer.json()).toMatchObject({ status: 503, code: 'database_unavailable' });
    }

    await proxy.start();
    await waitFor(
      'PostgreSQL again',
      async () => (await as('GET', '/api/v1/programmes')).statusCode === 200,
      10_000,
    );
  });

  it('should answer 503 to a write whose connection is cut in the middle, and keep nothing of it', async () => {
    const admin = await createUser(t.dataSource, { role: 'admin' });
    const programme = await createProgramme(t, admin, { countryCode: 'GH' });
    // Straight to PostgreSQL, not through the proxy: holds the programme so that the write
    // waits inside its transaction until the proxy cuts it.
    const holder = new pg.Client({ connectionString: database.url });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT 1 FROM programmes WHERE id = $1 FOR UPDATE', [programme.id]);
      const writing = client(t, admin)(
        'POST',
        `/api/v1/programmes/${programme.id}/status-updates`,
        {
          health: 'off_track',
          summary: 'Cut in the middle',
        },
      );
      await waitFor('the write to wait for the programme', async () => {
        const { rows } = await holder.query(
          `SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
        );
        return rows.length > 0;
      });
      await proxy.stop();
      const answer = await writing;
      await holder.query('ROLLBACK');
      await proxy.start();

      expect(answer.statusCode).toBe(503);
      expect(answer.json().code).toBe('database_unavailable');
      const { rows } = await holder.query(
        `SELECT (SELECT count(*) FROM status_updates WHERE summary = 'Cut in the middle')::int AS updates,
                (SELECT count(*) FROM audit_events WHERE action = 'status_update.created'
                   AND after ->> 'summary' = 'Cut in the middle')::int AS events`,
      );
      expect(rows[0]).toEqual({ updates: 0, events: 0 });
    } finally {
      await holder.end();
    }
  });
});
