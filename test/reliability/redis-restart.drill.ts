import {
  type BenchDatabase,
  type ChildServer,
  createBenchDatabase,
  signIn,
} from '../bench/bench-kit.js';
import { RedisServer, freePort } from '../support/redis-server.js';
import { SmtpSink } from '../support/smtp-sink.js';
import { waitFor } from '../support/wait.js';
import { drillSeconds, report } from './drill-kit.js';
import {
  type Answer,
  apiClient,
  seconds,
  sleep,
  startDrillService,
  statusCounts,
} from './drill-services.js';

const WRITERS = 3;
/** Workers must take jobs again within this many seconds of Redis returning. */
const RESUME_LIMIT_S = 30;

interface Write extends Answer {
  kind: 'report' | 'status-update';
}

describe('Redis restart drill', () => {
  it(`should keep committing writes while Redis is away, resume the workers within ${RESUME_LIMIT_S} s of its return and finish every job`, async () => {
    let database: BenchDatabase | undefined;
    let service: ChildServer | undefined;
    const redis = new RedisServer(await freePort());
    const sink = new SmtpSink();
    try {
      database = await createBenchDatabase('redisrestart', 40);
      await redis.start();
      await sink.start();
      service = await startDrillService('redis-restart', {
        DATABASE_URL: database.url,
        REDIS_URL: redis.url,
        SMTP_URL: sink.url,
        QUEUE_PREFIX: 'drill',
        OUTBOX_RELAY_INTERVAL_MS: '500',
        REMINDER_WORKING_HOURS: 'always',
        NOTIFICATION_BACKOFF_MS: '1000',
      });
      const db = database.dataSource;
      const api = apiClient(service.url, await signIn(service.url, database.admin.email));
      const programmes: { id: string; countryCode: string }[] = await db.query(
        `SELECT id, country_code AS "countryCode" FROM programmes ORDER BY id LIMIT $1`,
        [WRITERS],
      );

      const writes: Write[] = [];
      let running = true;
      const writeLoop = async (programme: { id: string; countryCode: string }) => {
        for (let n = 0; running; n += 1) {
          if (n % 2 === 0) {
            const answer = await api('POST', '/reports', {
              scope: { countryCodes: [programme.countryCode] },
              formats: ['json', 'csv'],
            });
            writes.push({ ...answer, kind: 'report' });
          } else {
            const answer = await api('POST', `/programmes/${programme.id}/status-updates`, {
              health: 'at_risk',
              summary: `Drill update ${n}`,
            });
            writes.push({ ...answer, kind: 'status-update' });
          }
          await sleep(100);
        }
      };

      const loops = programmes.map((programme) => writeLoop(programme));
      let scan: Answer | undefined;
      let queuedAtKill = 0;
      let stoppedAt = 0;
      let backAt = 0;
      try {
        await sleep(drillSeconds(10, 3) * 1000);
        // A reminder scan writes a burst of e-mails; Redis goes while their jobs wait in it.
        scan = await api('POST', '/reminders/scan');
        // Other e-mails (reports completed) flow all along: wait for the scan's own to be queued.
        queuedAtKill = await waitFor(
          "the scan's reminders to wait in Redis",
          async () => {
            const [{ queued }] = await db.query(
              `SELECT count(*)::int AS queued FROM notifications
               WHERE status = 'queued' AND kind LIKE 'reminder.%'`,
            );
            return queued;
          },
          30_000,
        );
        stoppedAt = Date.now();
        await redis.stop();
        await sleep(drillSeconds(10, 5) * 1000);
        await redis.start();
        backAt = Date.now();
        await sleep(drillSeconds(10, 5) * 1000);
      } finally {
        running = false;
        await Promise.all(loops);
      }

      // Every job is done in the end: each report compiled, each notification sent and received.
      const finished = await waitFor(
        'every report compiled and every notification sent',
        async () => {
          const [counts] = await db.query(
            `SELECT (SELECT count(*) FROM reports WHERE status <> 'completed')::int AS reports,
                    (SELECT count(*) FROM notifications WHERE status <> 'sent')::int AS notifications`,
          );
          return counts.reports === 0 && counts.notifications === 0 ? Date.now() : undefined;
        },
        drillSeconds(240, 180) * 1000,
      ).catch(() => undefined);

      const problems: string[] = [];
      const [figures] = await db.query(
        `SELECT (SELECT count(*) FROM reports)::int AS reports,
                (SELECT count(*) FROM reports WHERE status = 'completed')::int AS "reportsCompleted",
                (SELECT count(*) FROM reports WHERE status <> 'completed')::int AS "reportsLeft",
                (SELECT count(*) FROM notifications)::int AS notifications,
                (SELECT count(*) FROM notifications WHERE status = 'sent')::int AS sent,
                (SELECT min(completed_at) FROM reports WHERE completed_at > $1) AS "firstReport",
                (SELECT min(sent_at) FROM notifications WHERE sent_at > $1) AS "firstSent"`,
        [new Date(backAt)],
      );
      const firstJob = Math.min(
        figures.firstReport?.getTime() ?? Infinity,
        figures.firstSent?.getTime() ?? Infinity,
      );
      const resumeSeconds = (firstJob - backAt) / 1000;
      if (!(resumeSeconds <= RESUME_LIMIT_S)) {
        problems.push(`workers took no job within ${RESUME_LIMIT_S} s of Redis returning`);
      }
      if (!finished) {
        problems.push(
          `jobs left: ${figures.reportsLeft} reports not completed, ${figures.notifications - figures.sent} notifications not sent`,
        );
      }
      const received = new Set(sink.received.map((mail) => mail.messageId));
      const ids: { id: string }[] = await db.query(`SELECT id FROM notifications`);
      const missing = ids.filter(({ id }) => !received.has(`<${id}@cirt-tracker>`)).length;
      if (missing > 0) problems.push(`${missing} notifications never reached the SMTP server`);

      // Writes commit whether Redis is there or not: each answers 2xx and is stored.
      const failed = writes.filter((write) => write.status < 200 || write.status >= 300);
      const reportIds = new Set(
        ((await db.query(`SELECT id::text FROM reports`)) as { id: string }[]).map((row) => row.id),
      );
      const lost = writes.filter(
        (write) => write.kind === 'report' && write.status === 202 && !reportIds.has(write.body.id),
      );
      if (lost.length > 0) problems.push(`${lost.length} accepted reports are not stored`);
      if (scan?.status !== 202) problems.push(`the reminder scan answered ${scan?.status}`);
      // No supervisor restarts it: a process still running is the one started, never crashed.
      const alive = service.exited() === undefined;
      if (!alive) problems.push(`the service exited (${service.exited()})`);

      const duringOutage = writes.filter(
        (write) => write.startedAt >= stoppedAt && write.endedAt <= backAt,
      );
      report({
        drill: 'Redis restart (loses every key)',
        inputs: writes.length + 1,
        failures: failed.length + problems.length,
        figures: [
          `Redis away ${seconds(backAt - stoppedAt)} s with ${queuedAtKill} e-mails queued in it`,
          `${writes.length} writes (${statusCounts(writes)}), ${duringOutage.length} while away (${statusCounts(duringOutage)})`,
          `workers took jobs again ${Number.isFinite(resumeSeconds) ? resumeSeconds.toFixed(1) : 'never'} s after Redis returned`,
          `every job done ${finished ? `${seconds(finished - backAt)} s` : 'never'} after: reports ${figures.reportsCompleted}/${figures.reports} completed, notifications ${figures.sent}/${figures.notifications} sent, ${sink.received.length} e-mails received`,
          `process ${service.pid} still running: ${alive ? 'yes' : 'no'}`,
        ].join('; '),
      });
      expect(problems).toEqual([]);
      expect(failed.map((write) => `${write.kind} ${write.status}`)).toEqual([]);
    } finally {
      await service?.stop();
      await sink.stop();
      await redis.stop();
      await database?.drop();
    }
  });
});
