import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createHash } from 'node:crypto';
import pg from 'pg';
import { SmtpSink } from './support/smtp-sink.js';
import { deleteRedisKeys } from './support/redis-keys.js';
import { TEST_REDIS_URL, cloneTemplateDatabase } from './support/test-database.js';
import { waitFor } from './support/wait.js';

// Runs the built service (`npm test` builds first) as worker processes and kills them hard.
const COUNT = 2_000;
const KILLS = 5;
/** Each worker sends this many at once: a kill may repeat each of those, once. */
const CONCURRENCY = 8;

describe('delivery through worker crashes', () => {
  it(`should deliver ${COUNT} e-mails at least once, all marked sent, a kill repeating at most the ${CONCURRENCY} in flight`, async () => {
    const sink = new SmtpSink();
    await sink.start();
    const database = await cloneTemplateDatabase('crash');
    const prefix = `t-${createHash('sha256').update(database.name).digest('hex').slice(0, 16)}`;
    const db = new pg.Client({ connectionString: database.url });
    await db.connect();
    let worker: ChildProcess | undefined;
    const startWorker = () => {
      worker = spawn(process.execPath, ['dist/src/main.js'], {
        env: {
          ...process.env,
          // The backend of the jest project: Redis, or without REDIS_URL the test's database.
          REDIS_URL: TEST_REDIS_URL ?? '',
          PROCESS_ROLE: 'worker',
          DATABASE_URL: database.url,
          QUEUE_PREFIX: prefix,
          SMTP_URL: sink.url,
          OUTBOX_RELAY_INTERVAL_MS: '200',
          DELIVERY_CONCURRENCY: String(CONCURRENCY),
          LOG_LEVEL: 'error',
        },
        stdio: 'ignore',
      });
    };
    try {
      await db.query(
        `INSERT INTO notifications (kind, channel, dedupe_key, recipient, subject, body_text, not_before)
         SELECT 'test', 'email', 'crash:' || n, 'person' || n || '@example.org', 'Message ' || n, 'Hello', now()
         FROM generate_series(1, $1) AS n`,
        [COUNT],
      );
      startWorker();
      for (let kill = 1; kill <= KILLS; kill += 1) {
        await waitFor(`${kill * 250} e-mails`, () => sink.received.length >= kill * 250, 120_000);
        const exited = once(worker!, 'exit');
        worker!.kill('SIGKILL');
        await exited;
        startWorker();
      }
      await waitFor(
        'every row to be sent',
        async () => {
          const { rows } = await db.query(
            `SELECT count(*)::int AS n FROM notifications WHERE status = 'sent'`,
          );
          return rows[0].n === COUNT;
        },
        120_000,
      );

      const received = new Map<string, number>();
      for (const mail of sink.received)
        received.set(mail.messageId!, (received.get(mail.messageId!) ?? 0) + 1);
      const { rows } = await db.query(`SELECT id FROM notifications`);
      for (const row of rows)
        expect(received.get(`<${row.id}@cirt-tracker>`)).toBeGreaterThanOrEqual(1);
      const repeats = sink.received.length - received.size;
      console.log(
        `${COUNT} notifications, ${KILLS} kills: ${sink.received.length} e-mails received, ${repeats} repeats`,
      );
      expect(received.size).toBe(COUNT);
      expect(repeats).toBeLessThanOrEqual(KILLS * CONCURRENCY);
      // A message is repeated only by a kill that caught it in flight, and once for that kill.
      expect(Math.max(...received.values())).toBeLessThanOrEqual(1 + KILLS);
    } finally {
      if (worker && worker.exitCode === null) {
        const exited = once(worker, 'exit');
        worker.kill('SIGTERM');
        await exited;
      }
      await db.end();
      await database.drop();
      await sink.stop();
      if (TEST_REDIS_URL) await deleteRedisKeys(TEST_REDIS_URL, prefix);
    }
  }, 300_000);
});
