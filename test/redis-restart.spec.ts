import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import pg from 'pg';
import { createUser } from './factories/users.js';
import { RedisServer, freePort } from './support/redis-server.js';
import { SmtpSink } from './support/smtp-sink.js';
import { type TestApp, client, startTestApp } from './support/test-app.js';
import { cloneTemplateDatabase } from './support/test-database.js';
import { waitFor } from './support/wait.js';

/** Inserts e-mails straight into the outbox, as the services do in their transactions. */
async function addEmails(
  query: (sql: string, values: unknown[]) => Promise<unknown>,
  count: number,
) {
  await query(
    `INSERT INTO notifications (kind, channel, dedupe_key, recipient, subject, body_text, not_before)
     SELECT 'test', 'email', 'restart:' || gen_random_uuid(), 'person' || n || '@example.org', 'Message ' || n, 'Hello', now()
     FROM generate_series(1, $1) AS n`,
    [count],
  );
}

describe('Redis restart', () => {
  let redis: RedisServer;
  let sink: SmtpSink;

  beforeEach(async () => {
    redis = new RedisServer(await freePort());
    await redis.start();
    sink = new SmtpSink();
    await sink.start();
  });
  afterEach(async () => {
    await redis.stop();
    await sink.stop();
  });

  describe('of an empty Redis', () => {
    let t: TestApp;

    beforeEach(async () => {
      t = await startTestApp({
        env: {
          PROCESS_ROLE: 'all',
          REDIS_URL: redis.url,
          SMTP_URL: sink.url,
          OUTBOX_RELAY_INTERVAL_MS: '200',
        },
      });
    });
    afterEach(() => t.close());

    it('should put the recurring jobs back, so that e-mails and reports written meanwhile still go out', async () => {
      const admin = await createUser(t.dataSource, { role: 'admin' });
      await addEmails((sql, values) => t.dataSource.query(sql, values), 1);
      await waitFor('the first e-mail', () => sink.received.length === 1);

      // Redis keeps nothing across the restart: the relay ticks' schedules go with it.
      await redis.stop();
      const requested = await client(t, admin)('POST', '/api/v1/reports', {
        scope: { countryCodes: ['KE'] },
        formats: ['json'],
      });
      expect(requested.statusCode).toBe(202);
      await redis.start();
      await addEmails((sql, values) => t.dataSource.query(sql, values), 1);

      await waitFor('the second e-mail', () => sink.received.length === 2, 20_000);
      await waitFor(
        'the report',
        async () =>
          (await client(t, admin)('GET', `/api/v1/reports/${requested.json().id}`)).json()
            .status === 'completed',
        30_000,
      );
    }, 60_000);
  });

  describe('while workers have jobs to take', () => {
    it('should keep serving and take jobs again once Redis returns', async () => {
      const database = await cloneTemplateDatabase('redisrestart');
      const db = new pg.Client({ connectionString: database.url });
      await db.connect();
      // A process of its own: a worker spinning on the lost connection would starve this one.
      const port = await freePort();
      const service: ChildProcess = spawn(process.execPath, ['dist/src/main.js'], {
        env: {
          ...process.env,
          PROCESS_ROLE: 'all',
          PORT: String(port),
          DATABASE_URL: database.url,
          REDIS_URL: redis.url,
          SMTP_URL: sink.url,
          OUTBOX_RELAY_INTERVAL_MS: '200',
          LOG_LEVEL: 'silent',
        },
        stdio: 'ignore',
      });
      const live = () =>
        fetch(`http://127.0.0.1:${port}/health/live`, { signal: AbortSignal.timeout(2_000) }).then(
          (response) => response.status,
          () => 0,
        );
      try {
        await waitFor('the service', async () => (await live()) === 200, 30_000);
        await addEmails((sql, values) => db.query(sql, values), 2_000);
        await waitFor('the first e-mails', () => sink.received.length > 0, 30_000);

        await redis.stop();
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        expect(await live()).toBe(200);
        await redis.start();

        const before = sink.received.length;
        await addEmails((sql, values) => db.query(sql, values), 1);
        await waitFor('e-mails again', () => sink.received.length > before, 20_000);
        expect(await live()).toBe(200);
      } finally {
        if (service.exitCode === null && service.signalCode === null) {
          const exited = once(service, 'exit');
          service.kill('SIGKILL');
          await exited;
        }
        await db.end();
        await database.drop();
      }
    }, 90_000);
  });
});
