import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { deleteRedisKeys } from '../support/redis-keys.js';
import {
  type BenchDatabase,
  type ChildServer,
  type Comparison,
  type Figures,
  benchConfig,
  createBenchDatabase,
  freePort,
  interleaved,
  log,
  memoryOf,
  signIn,
  startChild,
  startService,
} from './bench-kit.js';

/** The target: 100,000 reminders within 5 minutes, at least half the raw loop's rate. */
const FULL_SIZE = 100_000;
const WITHIN_SECONDS = 300;
const MIN_RATIO = 0.5;
/** E-mails per overdue milestone at the escalated step: owner, focal point, ITU PM, coordinator. */
const FAN_OUT = 4;
/** Open milestones taken per programme of the synthetic portfolio (it has about 27). */
const MILESTONES_PER_PROGRAMME = 20;
const LOCALES = ['en', 'fr', 'es', 'ar', 'ru', 'zh'];

interface Sink {
  server: ChildServer;
  smtpUrl: string;
  count(): Promise<{ received: number; unique: number; bytes: number }>;
  reset(): Promise<void>;
}

async function startSink(): Promise<Sink> {
  const smtpPort = await freePort();
  const server = await startChild(
    'dist/test/bench/smtp-sink-process.js',
    { SMTP_PORT: String(smtpPort) },
    '/count',
  );
  const call = async (method: string, path: string) =>
    (await (await fetch(`${server.url}${path}`, { method })).json()) as {
      received: number;
      unique: number;
      bytes: number;
    };
  return {
    server,
    smtpUrl: `smtp://127.0.0.1:${smtpPort}`,
    count: () => call('GET', '/count'),
    reset: async () => void (await call('POST', '/reset')),
  };
}

/**
 * Makes the portfolio's reminder scan find exactly `reminders` due e-mails, all from the
 * milestone ladders: every other ladder is quieted (fresh status updates and phases), open
 * milestones are moved out of reach, then floor(n / 4) of them are 10 days overdue with an owner
 * (the escalated step: owner, focal point, ITU PM and regional coordinator) and n mod 4 are due
 * in 5 days with an owner (the owner alone). Every country gets the four people, in six languages.
 */
async function planDueReminders(database: BenchDatabase, reminders: number): Promise<void> {
  const overdue = Math.floor(reminders / FAN_OUT);
  const dueSoon = reminders % FAN_OUT;
  await database.dataSource.transaction(async (manager) => {
    await manager.query(
      `UPDATE programmes SET health_updated_at = now(), phase_entered_at = now()`,
    );
    await manager.query(`DELETE FROM phase_transitions`);
    await manager.query(
      `UPDATE assessments SET status = 'validated' WHERE status IN ('draft', 'returned')`,
    );
    await manager.query(`DELETE FROM assessments WHERE kind = 'maturity'`);
    await manager.query(
      `UPDATE milestones SET due_date = current_date + 60, owner_stakeholder_id = NULL
       WHERE status IN ('planned', 'in_progress', 'blocked')`,
    );
    await manager.query(
      `INSERT INTO stakeholders (country_code, name, email, role, locale)
       SELECT c.code, r.label || ' of ' || c.code, lower(c.code) || '.' || r.key || '@example.org', r.role,
              ($1::text[])[1 + (row_number() OVER (ORDER BY c.code, r.role))::int % 6]
       FROM countries c
       CROSS JOIN (VALUES ('cirt_lead', 'lead', 'CIRT lead'),
                          ('itu_project_manager', 'pm', 'ITU project manager'),
                          ('regional_coordinator', 'rc', 'Regional coordinator')) AS r(role, key, label)`,
      [LOCALES],
    );
    await manager.query(
      `UPDATE stakeholders SET locale = ($1::text[])[1 + abs(hashtext(country_code)) % 6]
       WHERE role = 'national_focal_point'`,
      [LOCALES],
    );
    const [{ chosen }] = await manager.query(
      `WITH open AS (
         SELECT m.id, p.country_code, row_number() OVER (ORDER BY m.programme_id, m.id) AS n
         FROM milestones m JOIN programmes p ON p.id = m.programme_id
         WHERE p.status = 'active' AND m.status IN ('planned', 'in_progress', 'blocked')
       ), chosen AS (
         UPDATE milestones m
         SET due_date = CASE WHEN open.n <= $1::int THEN current_date - 10 ELSE current_date + 5 END,
             owner_stakeholder_id = s.id
         FROM open JOIN stakeholders s ON s.country_code = open.country_code AND s.role = 'cirt_lead'
         WHERE m.id = open.id AND open.n <= $1::int + $2::int
         RETURNING m.id
       )
       SELECT count(*)::int AS chosen FROM chosen`,
      [overdue, dueSoon],
    );
    if (chosen !== overdue + dueSoon)
      throw new Error(`The portfolio has ${chosen} open milestones, ${overdue + dueSoon} needed`);
  });
  await database.dataSource.query('ANALYZE');
}

/** CPU seconds (user and system) a process has used so far, from /proc. */
function cpuSecondsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of stat(5), in clock ticks (100 a second on Linux).
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/**
 * Polls the sink until `count` e-mails have arrived, calling `tick` each second and saying every
 * 5 s how many; fails past `timeoutSeconds`. Answers the seconds from `start`.
 */
async function untilDelivered(
  sink: Sink,
  count: number,
  start: number,
  timeoutSeconds: number,
  what: string,
  tick?: () => Promise<string>,
): Promise<number> {
  let lastLog = start;
  let lastTick = start;
  let state = '';
  for (;;) {
    const { received } = await sink.count();
    const now = performance.now();
    if (received >= count) return (now - start) / 1000;
    if (now - start > timeoutSeconds * 1000)
      throw new Error(`${what}: ${received} of ${count} e-mails after ${timeoutSeconds} s`);
    if (tick && now - lastTick >= 1_000) {
      lastTick = now;
      state = `, ${await tick()}`;
    }
    if (now - lastLog >= 5_000) {
      lastLog = now;
      const seconds = ((now - start) / 1000).toFixed(0);
      log(`    ${what}: ${received}/${count} delivered after ${seconds} s${state}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * B3: the reminder scan, the outbox and delivery of `reminders` due e-mails to an SMTP sink in
 * another process, against a raw BullMQ loop (addBulk, then a worker that sends the same e-mails
 * to the same sink with the same concurrency). The service and the baseline each run as one
 * long-lived process, as a deployed worker does, and every round starts from an empty outbox
 * and a fresh queue. `queues` says where both keep their queues: Redis, or the bench database
 * (BullMQ's PostgreSQL backend, the service without REDIS_URL).
 */
const QUEUES_LABEL = { redis: 'on Redis', postgres: 'in PostgreSQL (schema bullmq)' };

export async function benchReminders(options: {
  reminders: number;
  rounds: number;
  queues: 'redis' | 'postgres';
}): Promise<Comparison> {
  const { reminders, rounds, queues } = options;
  const redisUrl = benchConfig().REDIS_URL!;
  const concurrency = benchConfig().DELIVERY_CONCURRENCY;
  const timeoutSeconds = Math.max(60, reminders / 50);
  const messagesFile = `/tmp/cirt_bench_b3_${process.pid}-messages.json`;
  const servicePrefix = `bench-b3-${process.pid}-s`;
  const baselinePrefix = `bench-b3-${process.pid}-b`;
  let messagesTaken = false;
  const peaks: number[] = [];
  // B3_PROFILE_DIR=/some/dir: a CPU profile of the service and of the baseline, written as they stop.
  const profiling = process.env.B3_PROFILE_DIR
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.B3_PROFILE_DIR}`]
    : undefined;

  log(
    `B3 reminders: ${reminders} e-mails, ${rounds} rounds, delivery concurrency ${concurrency}, queues ${QUEUES_LABEL[queues]}`,
  );
  const setupStart = performance.now();
  let sink: Sink | undefined;
  let database: BenchDatabase | undefined;
  let service: ChildServer | undefined;
  let baseline: ChildServer | undefined;
  /** Starts things side by side; each is kept as it comes up, so that all are stopped on a failure. */
  const together = async (starting: Promise<unknown>[]) => {
    const failed = (await Promise.allSettled(starting)).find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
  };
  try {
    await together([
      startSink().then((started) => (sink = started)),
      createBenchDatabase(
        'b3',
        Math.max(200, Math.ceil(Math.ceil(reminders / FAN_OUT) / MILESTONES_PER_PROGRAMME)),
      ).then((created) => (database = created)),
    ]);
    const db = database!;
    const smtp = sink!;
    log(`  database in ${((performance.now() - setupStart) / 1000).toFixed(1)} s`);
    await planDueReminders(db, reminders);
    const countRows = async (status?: string) =>
      (
        await db.dataSource.query(
          `SELECT count(*)::int AS n FROM notifications ${status ? 'WHERE status = $1' : ''}`,
          status ? [status] : [],
        )
      )[0].n as number;

    const env = {
      PROCESS_ROLE: 'all',
      SMTP_URL: smtp.smtpUrl,
      QUEUE_PREFIX: servicePrefix,
      OUTBOX_RELAY_INTERVAL_MS: '200',
      REMINDER_WORKING_HOURS: 'always',
      // No scheduled scan during the run: each round asks for its one scan.
      REMINDER_SCAN_CRON: '0 0 1 1 *',
      DELIVERY_CONCURRENCY: String(concurrency),
      REDIS_URL: queues === 'redis' ? redisUrl : '',
    };
    await together([
      (profiling
        ? startChild(
            'dist/src/main.js',
            { DATABASE_URL: db.url, LOG_LEVEL: 'warn', NODE_ENV: 'test', ...env },
            '/health/ready',
            profiling,
          )
        : startService(db.url, env)
      ).then((started) => (service = started)),
      startChild(
        'dist/test/bench/b3-baseline-process.js',
        {
          ...(queues === 'redis' ? { REDIS_URL: redisUrl } : { QUEUE_DATABASE_URL: db.url }),
          QUEUE_PREFIX: baselinePrefix,
          SMTP_URL: smtp.smtpUrl,
          COUNT: String(reminders),
          CONCURRENCY: String(concurrency),
          // As the product's e-mail channel: a connection per message in flight, at least 4.
          SMTP_MAX_CONNECTIONS: String(Math.max(4, concurrency)),
          MESSAGES_FILE: messagesFile,
        },
        '/ready',
        profiling,
      ).then((started) => (baseline = started)),
    ]);
    const serviceServer = service!;
    const baselineServer = baseline!;
    const token = await signIn(serviceServer.url, db.admin.email);
    log(`  ready in ${((performance.now() - setupStart) / 1000).toFixed(1)} s`);

    const serviceRound = async (): Promise<Figures> => {
      await db.dataSource.query('TRUNCATE notifications');
      await smtp.reset();
      let outboxSeconds = Number.NaN;
      const cpuBefore = cpuSecondsOf(serviceServer.pid);
      const start = performance.now();
      const response = await fetch(`${serviceServer.url}/api/v1/reminders/scan`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
      });
      if (response.status !== 202) throw new Error(`reminder scan: ${response.status}`);
      const totalSeconds = await untilDelivered(
        smtp,
        reminders,
        start,
        timeoutSeconds,
        'service',
        async () => {
          const rows = await countRows();
          if (rows >= reminders && Number.isNaN(outboxSeconds))
            outboxSeconds = (performance.now() - start) / 1000;
          return `${rows} in the outbox`;
        },
      );
      const cpuSeconds = cpuSecondsOf(serviceServer.pid) - cpuBefore;
      const { rssMb, peakMb } = memoryOf(serviceServer.pid);
      peaks.push(peakMb);
      // Every row is marked sent after its e-mail is accepted; wait for the last updates.
      const deadline = Date.now() + 30_000;
      let sent = await countRows('sent');
      while (sent < reminders && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        sent = await countRows('sent');
      }
      const rows = await countRows();
      const { received, unique } = await smtp.count();
      if (rows !== reminders || sent !== reminders || unique !== reminders)
        throw new Error(
          `service: ${rows} notifications written, ${sent} sent, ${unique} distinct e-mails received; ${reminders} expected`,
        );
      if (received !== reminders) log(`    service: ${received - reminders} e-mails repeated`);
      if (!messagesTaken) {
        const samples = await db.dataSource.query(
          `SELECT recipient AS to, subject, body_text AS text, body_html AS html
           FROM notifications ORDER BY id LIMIT 1000`,
        );
        writeFileSync(messagesFile, JSON.stringify(samples));
        messagesTaken = true;
      }
      return {
        'reminders/s': reminders / totalSeconds,
        'total s': totalSeconds,
        // Seen within a second; a run that delivers faster than that has no figure of its own.
        'outbox written s': Number.isNaN(outboxSeconds) ? totalSeconds : outboxSeconds,
        'cpu ms/reminder': (cpuSeconds * 1000) / reminders,
        'rss MB': Math.round(rssMb),
      };
    };

    const baselineRound = async (round: number): Promise<Figures> => {
      await smtp.reset();
      const cpuBefore = cpuSecondsOf(baselineServer.pid);
      const start = performance.now();
      const response = await fetch(`${baselineServer.url}/start?round=${round}`, {
        method: 'POST',
      });
      if (response.status !== 202) throw new Error(`baseline start: ${response.status}`);
      const totalSeconds = await untilDelivered(smtp, reminders, start, timeoutSeconds, 'baseline');
      const cpuSeconds = cpuSecondsOf(baselineServer.pid) - cpuBefore;
      const { rssMb } = memoryOf(baselineServer.pid);
      // Its worker closed and its queue emptied, out of the time measured.
      const finished = await fetch(`${baselineServer.url}/finish`, { method: 'POST' });
      if (finished.status !== 200) throw new Error(`baseline finish: ${finished.status}`);
      return {
        'reminders/s': reminders / totalSeconds,
        'total s': totalSeconds,
        'cpu ms/reminder': (cpuSeconds * 1000) / reminders,
        'rss MB': Math.round(rssMb),
      };
    };

    const result = await interleaved(rounds, serviceRound, baselineRound);
    const ratio = result.service['reminders/s'] / result.baseline['reminders/s'];
    const full = reminders >= FULL_SIZE;
    const inTime = result.service['total s'] < WITHIN_SECONDS;
    const notes = [
      `${reminders} due reminders (overdue milestones, ${FAN_OUT} recipients each, 6 languages) from one scan to the SMTP sink; delivery concurrency ${concurrency} in one process (PROCESS_ROLE=all), the baseline the same; queues ${QUEUES_LABEL[queues]} for both`,
      `service peak RSS ${Math.round(Math.max(...peaks))} MB`,
    ];
    if (!full)
      notes.push(
        `a quick run of ${reminders} reminders does not judge the ${FULL_SIZE.toLocaleString('en')} within 5 minutes target: only the ratio`,
      );
    return {
      name: queues === 'redis' ? 'B3 reminders' : 'B3 reminders, queues in PostgreSQL',
      unit: 'reminders/s',
      service: result.service,
      baseline: result.baseline,
      ratio,
      target: `ratio >= ${MIN_RATIO} and ${FULL_SIZE.toLocaleString('en')} within ${WITHIN_SECONDS / 60} min`,
      met: ratio >= MIN_RATIO && (!full || inTime),
      notes,
    };
  } finally {
    await service?.stop();
    await baseline?.stop();
    if (queues === 'redis') {
      await deleteRedisKeys(redisUrl, servicePrefix);
      await deleteRedisKeys(redisUrl, baselinePrefix);
    }
    await database?.drop();
    await sink?.server.stop();
    rmSync(messagesFile, { force: true });
  }
}
