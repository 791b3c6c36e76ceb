import { REGION_CODES } from '../../src/countries/regions.js';
import {
  type BenchDatabase,
  type ChildServer,
  benchConfig,
  createBenchDatabase,
  memoryOf,
  signIn,
  startChild,
} from '../bench/bench-kit.js';
import { deleteRedisKeys } from '../support/redis-keys.js';
import { SmtpSink } from '../support/smtp-sink.js';
import { waitFor } from '../support/wait.js';
import { QUICK, drillSeconds, report } from './drill-kit.js';

const SECONDS = drillSeconds(600, 60);
/** Memory is judged from the end of the warm-up, once the JIT and the pools have settled. */
const WARM_UP_SECONDS = QUICK ? 15 : 30;
const PROGRAMMES = 1_000;
/** Requests per second, all kinds together, spread evenly over each second. */
const RATE = 50;
/** A slow service makes requests wait rather than pile up: beyond this many, a slot is skipped. */
const MAX_IN_FLIGHT = 32;
const SAMPLE_EVERY_MS = 2_000;
const REPORT_EVERY_MS = 5_000;
const SCAN_EVERY_MS = 30_000;
/**
 * At this load the service's RSS saws up and down by 150-200 MB between major collections, a
 * cycle of a minute or more: longer than the quick run. So the service runs with a full
 * collection on SIGUSR2 (test tooling only; the product never calls gc()), and the drill takes
 * one at the start of each fifth of the measured time: the start and end figures are then both
 * what survives a collection, and every fifth begins from the same point of the saw.
 */
const SETTLE_MS = 3_000;
const GC_ON_SIGNAL = [
  '--expose-gc',
  '--import',
  "data:text/javascript,process.on('SIGUSR2', () => globalThis.gc())",
];

/** "Flat": `later` within 15% or 50 MB of `earlier`. */
function flatFrom(earlier: number, later: number): boolean {
  return later - earlier <= Math.max(0.15 * earlier, 50);
}

/** The steady mix, one slot per request in turn: 40% lists, 25% details, 15% PATCH, 10% POST. */
const MIX = [
  'list',
  'detail',
  'list',
  'patch',
  'detail',
  'list',
  'statusUpdate',
  'list',
  'detail',
  'patch',
  'list',
  'milestones',
  'list',
  'detail',
  'statusUpdate',
  'list',
  'patch',
  'detail',
  'list',
  'notifications',
] as const;
type Kind = (typeof MIX)[number] | 'report' | 'scan';

interface Call {
  kind: Kind;
  method: 'GET' | 'POST' | 'PATCH';
  path: string;
  body?: object;
  expect: number;
  onAnswer?: (status: number, body: string) => void;
}

const SORTS = ['country', '-daysInPhase', 'phase', '-updatedAt'];
const PHASES = ['readiness_assessment', 'planning', 'implementation', 'operation', 'maintenance'];
const REPORT_FORMATS = [['json'], ['json', 'csv'], ['csv', 'xlsx'], ['pdf']];

function mean(values: number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

function percentile(values: number[], share: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * share))];
}

/** Requests of every kind, made from the portfolio's ids; PATCHes carry the version last read. */
function trafficOf(programmeIds: string[], milestones: { id: string; version: number }[]) {
  let sequence = 0;
  const free = [...milestones];
  const pick = <T>(values: readonly T[]) => values[sequence % values.length];
  const programme = () => programmeIds[(sequence * 7919) % programmeIds.length];

  const build: Record<(typeof MIX)[number], () => Call> = {
    list: () => ({
      kind: 'list',
      method: 'GET',
      path:
        `/api/v1/programmes?page=${1 + (sequence % 3)}&pageSize=50&sort=${pick(SORTS)}` +
        (sequence % 2 ? `&region=${pick(REGION_CODES)}` : `&phase=${pick(PHASES)}`),
      expect: 200,
    }),
    detail: () => ({
      kind: 'detail',
      method: 'GET',
      path: `/api/v1/programmes/${programme()}`,
      expect: 200,
    }),
    milestones: () => ({
      kind: 'milestones',
      method: 'GET',
      path: `/api/v1/programmes/${programme()}/milestones`,
      expect: 200,
    }),
    notifications: () => ({
      kind: 'notifications',
      method: 'GET',
      path: '/api/v1/notifications?pageSize=50',
      expect: 200,
    }),
    patch: () => {
      const milestone = free.shift();
      if (!milestone) return build.detail(); // every milestone of the pool is being written
      return {
        kind: 'patch',
        method: 'PATCH',
        path: `/api/v1/milestones/${milestone.id}`,
        body: { version: milestone.version, title: `Soak title ${sequence}` },
        expect: 200,
        onAnswer: (status, body) => {
          if (status === 200) free.push({ id: milestone.id, version: JSON.parse(body).version });
        },
      };
    },
    statusUpdate: () => ({
      kind: 'statusUpdate',
      method: 'POST',
      path: `/api/v1/programmes/${programme()}/status-updates`,
      body: { health: pick(['on_track', 'at_risk', 'off_track']), summary: `Soak ${sequence}` },
      expect: 201,
    }),
  };

  return {
    next: (): Call => build[MIX[(sequence += 1) % MIX.length]](),
    report: (): Call => {
      sequence += 1;
      return {
        kind: 'report',
        method: 'POST',
        path: '/api/v1/reports',
        body: { scope: { regionCode: pick(REGION_CODES) }, formats: pick(REPORT_FORMATS) },
        expect: 202,
      };
    },
    scan: (): Call => ({
      kind: 'scan',
      method: 'POST',
      path: '/api/v1/reminders/scan',
      expect: 202,
    }),
  };
}

/**
 * The portfolio's first reminder scan writes thousands of reminders at once, a burst that a
 * running deployment has long behind it: the drill sends them before its timed run, and the
 * scans of the run find what becomes due since.
 */
async function sendFirstReminders(
  database: BenchDatabase,
  service: ChildServer,
  token: string,
): Promise<void> {
  const response = await fetch(`${service.url}/api/v1/reminders/scan`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
  });
  if (response.status !== 202) throw new Error(`reminder scan: ${response.status}`);
  await waitFor(
    'the first reminders to be sent',
    async () => {
      const [outbox] = await database.dataSource.query(
        `SELECT count(*)::int AS total,
                count(*) FILTER (WHERE status IN ('pending', 'queued'))::int AS waiting
         FROM notifications`,
      );
      return outbox.total > 0 && outbox.waiting === 0;
    },
    300_000,
  );
}

describe('soak', () => {
  const sink = new SmtpSink();
  const prefix = `soak-${process.pid}`;
  let database: BenchDatabase;
  let service: ChildServer;

  beforeAll(async () => {
    await sink.start();
    database = await createBenchDatabase('soak', PROGRAMMES);
    service = await startChild(
      'dist/src/main.js',
      {
        DATABASE_URL: database.url,
        REDIS_URL: benchConfig().REDIS_URL!,
        LOG_LEVEL: 'warn',
        NODE_ENV: 'test',
        PROCESS_ROLE: 'all',
        QUEUE_PREFIX: prefix,
        SMTP_URL: sink.url,
        // Reminders go out whatever the hour of the run, and scans come from the drill alone.
        REMINDER_WORKING_HOURS: 'always',
        REMINDER_SCAN_CRON: '0 0 1 1 *',
        // The mix sends more report requests than one user may make in a minute.
        REPORT_REQUESTS_PER_MINUTE: '1000000',
      },
      '/health/ready',
      GC_ON_SIGNAL,
    );
  });
  afterAll(async () => {
    await service?.stop();
    await database?.drop();
    await sink.stop();
    await deleteRedisKeys(benchConfig().REDIS_URL!, prefix);
  });

  it(`should answer ${SECONDS} s of mixed traffic without a 5xx, in flat memory`, async () => {
    const token = await signIn(service.url, database.admin.email);
    const programmeIds = (
      await database.dataSource.query(`SELECT id FROM programmes WHERE status = 'active'`)
    ).map((row: { id: string }) => row.id);
    const milestones = await database.dataSource.query(
      `SELECT m.id, m.version FROM milestones m JOIN programmes p ON p.id = m.programme_id
       WHERE p.status = 'active' ORDER BY md5(m.id::text) LIMIT 400`,
    );
    const traffic = trafficOf(programmeIds, milestones);
    await sendFirstReminders(database, service, token);
    const firstMails = sink.received.splice(0).length;

    const statuses = new Map<number, number>();
    const unexpected: string[] = [];
    const connectionErrors: string[] = [];
    const latencies: number[] = [];
    const reportIds: string[] = [];
    let inFlight = 0;
    let skipped = 0;
    const send = async (call: Call) => {
      inFlight += 1;
      const started = performance.now();
      try {
        const response = await fetch(`${service.url}${call.path}`, {
          method: call.method,
          headers: {
            authorization: `Bearer ${token}`,
            ...(call.body ? { 'content-type': 'application/json' } : {}),
          },
          body: call.body ? JSON.stringify(call.body) : undefined,
          signal: AbortSignal.timeout(30_000),
        });
        const body = await response.text();
        latencies.push(performance.now() - started);
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        if (response.status !== call.expect) {
          unexpected.push(`${call.method} ${call.path}: ${response.status} ${body.slice(0, 200)}`);
        }
        if (call.kind === 'report' && response.status === 202) reportIds.push(JSON.parse(body).id);
        call.onAnswer?.(response.status, body);
      } catch (error) {
        connectionErrors.push(`${call.method} ${call.path}: ${(error as Error).message}`);
      } finally {
        inFlight -= 1;
      }
    };
    const pending = new Set<Promise<void>>();
    const issue = (call: Call) => {
      const request = send(call).finally(() => pending.delete(request));
      pending.add(request);
    };

    const samples: { second: number; rssMb: number }[] = [];
    const collected: number[] = [];
    const collections: Promise<void>[] = [];
    const collectAndMeasure = async () => {
      process.kill(service.pid, 'SIGUSR2');
      // V8 hands the freed pages back to the system a moment after the collection.
      await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
      return memoryOf(service.pid).rssMb;
    };
    // What the first scan left is garbage by now; gone before the run, it does not weigh on the
    // start figure (a collection under way when the run starts released it only seconds later).
    const afterFirstScan = await collectAndMeasure();
    const fifthSeconds = (SECONDS - WARM_UP_SECONDS) / 5;
    // At the start of each fifth, and the end one just before the traffic stops, under load
    // as the others are.
    const checkpoints = [0, 1, 2, 3, 4, 5].map((fifth) =>
      Math.min(WARM_UP_SECONDS + fifth * fifthSeconds, SECONDS - SETTLE_MS / 1000 - 1),
    );
    let mails = 0;
    const start = performance.now();
    const elapsed = () => (performance.now() - start) / 1000;
    let issued = 0;
    const timers = [
      setInterval(() => {
        const due = Math.floor(Math.min(elapsed(), SECONDS) * RATE) - issued;
        for (let slot = 0; slot < due; slot += 1) {
          issued += 1;
          if (inFlight >= MAX_IN_FLIGHT) skipped += 1;
          else issue(traffic.next());
        }
      }, 20),
      setInterval(() => issue(traffic.report()), REPORT_EVERY_MS),
      setInterval(() => issue(traffic.scan()), SCAN_EVERY_MS),
      setInterval(() => {
        samples.push({ second: elapsed(), rssMb: memoryOf(service.pid).rssMb });
        mails += sink.received.splice(0).length; // counted, not kept
      }, SAMPLE_EVERY_MS),
      ...checkpoints.map((second) =>
        setTimeout(
          () => collections.push(collectAndMeasure().then((rss) => void collected.push(rss))),
          second * 1000,
        ),
      ),
    ];
    await new Promise((resolve) => setTimeout(resolve, SECONDS * 1000));
    timers.forEach(clearInterval);
    await Promise.all(pending);
    const seconds = elapsed();
    await Promise.all(collections);

    // Every report asked for compiles; none is left failed.
    const reports = await (async () => {
      const deadline = Date.now() + 120_000;
      for (;;) {
        const rows: { status: string; n: number }[] = await database.dataSource.query(
          `SELECT status, count(*)::int AS n FROM reports WHERE id = ANY($1) GROUP BY status`,
          [reportIds],
        );
        const count = (status: string) => rows.find((row) => row.status === status)?.n ?? 0;
        if (count('queued') + count('running') === 0 || Date.now() > deadline) {
          return { completed: count('completed'), other: reportIds.length - count('completed') };
        }
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    })();
    mails += sink.received.splice(0).length;
    const [notifications] = await database.dataSource.query(
      `SELECT count(*) FILTER (WHERE status = 'sent')::int AS sent,
              count(*) FILTER (WHERE status IN ('failed', 'dead'))::int AS failed
       FROM notifications`,
    );
    const alive = await fetch(`${service.url}/health/ready`).then(
      (response) => response.status === 200,
      () => false,
    );

    const measured = samples.filter((sample) => sample.second >= WARM_UP_SECONDS);
    const inFifth = (fifth: number) =>
      measured
        .filter((sample) => {
          const into = (sample.second - WARM_UP_SECONDS) / fifthSeconds;
          return into >= fifth && into < fifth + 1;
        })
        .map((sample) => sample.rssMb);
    const memory = {
      start: collected[0],
      peak: Math.max(...measured.map((sample) => sample.rssMb)),
      end: collected.at(-1)!,
      secondFifth: mean(inFifth(1)),
      lastFifth: mean(inFifth(4)),
    };
    const flat =
      flatFrom(memory.start, memory.end) && flatFrom(memory.secondFifth, memory.lastFifth);
    const errors5xx = [...statuses].reduce((sum, [code, n]) => sum + (code >= 500 ? n : 0), 0);
    const answered = [...statuses.values()].reduce((sum, n) => sum + n, 0);
    const mb = (value: number) => `${value.toFixed(0)} MB`;
    console.log(
      `RSS of the service in MB, every ${SAMPLE_EVERY_MS / 1000} s from ${WARM_UP_SECONDS} s: ` +
        `${measured.map((sample) => sample.rssMb.toFixed(0)).join(' ')}\n` +
        `after a full collection before the run ${afterFirstScan.toFixed(0)}, ` +
        `at the start of each fifth and at the end: ${collected.map((rss) => rss.toFixed(0)).join(' ')}`,
    );
    report({
      drill: `Soak: ${SECONDS} s of mixed traffic`,
      inputs: answered + connectionErrors.length,
      failures:
        errors5xx +
        connectionErrors.length +
        unexpected.length +
        reports.other +
        notifications.failed +
        (flat ? 0 : 1) +
        (alive ? 0 : 1),
      figures:
        `${(answered / seconds).toFixed(1)} req/s over ${seconds.toFixed(0)} s, statuses ` +
        `${[...statuses].map(([code, n]) => `${code}x${n}`).join(' ')}, ${errors5xx} 5xx, ` +
        `${connectionErrors.length} connection errors, ${unexpected.length} unexpected, ${skipped} skipped; ` +
        `p50 ${percentile(latencies, 0.5).toFixed(0)} ms, p99 ${percentile(latencies, 0.99).toFixed(0)} ms; ` +
        `${reports.completed}/${reportIds.length} reports compiled, ${mails} e-mails ` +
        `(${firstMails} more from the first scan, before the run; ${notifications.failed} failed or dead); RSS start ${mb(memory.start)}, ` +
        `peak ${mb(memory.peak)}, end ${mb(memory.end)} (start and end after a full collection; ` +
        `mean of the second fifth ${mb(memory.secondFifth)}, of the last ${mb(memory.lastFifth)}): ` +
        `${flat ? 'flat' : 'GROWING'}`,
    });
    expect({
      errors5xx,
      connectionErrors: connectionErrors.slice(0, 10),
      unexpected: unexpected.slice(0, 10),
      reportsNotCompiled: reports.other,
      failedNotifications: notifications.failed,
      flat,
      alive,
    }).toEqual({
      errors5xx: 0,
      connectionErrors: [],
      unexpected: [],
      reportsNotCompiled: 0,
      failedNotifications: 0,
      flat: true,
      alive: true,
    });
  });
});
