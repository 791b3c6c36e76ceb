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
  PostgresCluster,
  apiClient,
  seconds,
  sleep,
  startDrillService,
  statusCounts,
} from './drill-services.js';

const WRITERS = 4;
const MILESTONES_PER_WRITER = 3;
/** Service must be back within this many seconds of PostgreSQL accepting connections again. */
const RECOVERY_LIMIT_S = 10;

type WriteKind = 'milestone' | 'status-update' | 'report';

interface Write extends Answer {
  kind: WriteKind;
  /** The milestone's id, the status update's summary or the report's id once known. */
  key: string;
  /** The title a milestone PATCH sent. */
  title?: string;
}

interface Fault {
  name: string;
  issuedAt: number;
  /** The first probe refused after the fault was issued. */
  downAt?: number;
  /** The start of the last probe refused before backAt: PostgreSQL was away from downAt to here. */
  lastDownAt?: number;
  /** The first probe accepted after downAt. */
  backAt?: number;
}

interface Probe {
  startedAt: number;
  endedAt: number;
  accepting: boolean;
}

const overlaps = (answer: Answer, from: number, to: number) =>
  answer.startedAt < to && answer.endedAt > from;

describe('PostgreSQL restart drill', () => {
  it(`should stay up, answer 503 while PostgreSQL is away and serve again within ${RECOVERY_LIMIT_S} s of its return, with no request half-applied`, async () => {
    const cluster = await PostgresCluster.create('pg');
    let database: BenchDatabase | undefined;
    let service: ChildServer | undefined;
    const redis = new RedisServer(await freePort());
    const sink = new SmtpSink();
    try {
      database = await createBenchDatabase('pgrestart', 20, cluster.url());
      await redis.start();
      await sink.start();
      service = await startDrillService('postgres-restart', {
        DATABASE_URL: database.url,
        REDIS_URL: redis.url,
        SMTP_URL: sink.url,
        QUEUE_PREFIX: 'drill',
      });
      const api = apiClient(service.url, await signIn(service.url, database.admin.email));
      const milestones: {
        id: string;
        programmeId: string;
        countryCode: string;
        version: number;
      }[] = await database.dataSource.query(
        `SELECT DISTINCT ON (m.programme_id) m.id, m.programme_id AS "programmeId",
                  p.country_code AS "countryCode", m.version
           FROM milestones m JOIN programmes p ON p.id = m.programme_id
           ORDER BY m.programme_id, m.id LIMIT $1`,
        [WRITERS * MILESTONES_PER_WRITER],
      );
      const initialVersions = new Map(milestones.map((m) => [m.id, m.version]));
      const [{ lastEvent }] = await database.dataSource.query(
        `SELECT coalesce(max(id), 0) AS "lastEvent" FROM audit_events`,
      );

      // Everything the drill sees, with the time it saw it.
      const probes: Probe[] = [];
      const readiness: Answer[] = [];
      const writes: Write[] = [];
      const reads: Answer[] = [];
      let running = true;

      const probeLoop = async () => {
        while (running) {
          const startedAt = Date.now();
          const accepting = await cluster.accepting();
          probes.push({ startedAt, endedAt: Date.now(), accepting });
          await sleep(50);
        }
      };
      const readinessLoop = async () => {
        while (running) {
          const startedAt = Date.now();
          const response = await fetch(`${service!.url}/health/ready`, {
            signal: AbortSignal.timeout(5_000),
          }).catch(() => undefined);
          readiness.push({
            status: response?.status ?? 0,
            body: undefined,
            startedAt,
            endedAt: Date.now(),
          });
          await sleep(100);
        }
      };
      const writeLoop = async (writer: number) => {
        const mine = milestones.slice(
          writer * MILESTONES_PER_WRITER,
          (writer + 1) * MILESTONES_PER_WRITER,
        );
        // The version this writer last read of each milestone; unknown after a failed write.
        const versions = new Map<string, number | undefined>(mine.map((m) => [m.id, m.version]));
        for (let n = 0; running; n += 1) {
          const milestone = mine[n % mine.length];
          const kind: WriteKind = (['milestone', 'status-update', 'report'] as const)[n % 3];
          if (kind === 'milestone') {
            if (versions.get(milestone.id) === undefined) {
              const read = await api(
                'GET',
                `/programmes/${milestone.programmeId}/milestones?pageSize=200`,
              );
              reads.push(read);
              if (read.status !== 200) {
                await sleep(50);
                continue;
              }
              const item = read.body.items.find(
                (candidate: { id: string }) => candidate.id === milestone.id,
              );
              versions.set(milestone.id, item.version);
            }
            const title = `Writer ${writer} write ${n}`;
            const answer = await api('PATCH', `/milestones/${milestone.id}`, {
              version: versions.get(milestone.id),
              title,
            });
            versions.set(milestone.id, answer.status === 200 ? answer.body.version : undefined);
            writes.push({ ...answer, kind, key: milestone.id, title });
          } else if (kind === 'status-update') {
            const summary = `Writer ${writer} update ${n}`;
            const answer = await api(
              'POST',
              `/programmes/${milestone.programmeId}/status-updates`,
              {
                health: 'on_track',
                summary,
              },
            );
            writes.push({ ...answer, kind, key: summary });
          } else {
            const answer = await api('POST', '/reports', {
              scope: { countryCodes: [milestone.countryCode] },
              formats: ['json', 'csv'],
            });
            writes.push({ ...answer, kind, key: answer.body?.id ?? '' });
          }
          reads.push(await api('GET', `/programmes/${milestone.programmeId}`));
          await sleep(25);
        }
      };

      const loops = [
        probeLoop(),
        readinessLoop(),
        ...Array.from({ length: WRITERS }, (_, writer) => writeLoop(writer)),
      ];
      const faults: Fault[] = [];
      const steady = drillSeconds(10, 3) * 1000;
      /** Waits until the service answers ready and a write succeeds, then lets it run steady. */
      const recover = async (fault: Fault) => {
        await waitFor(
          `the service back after the ${fault.name}`,
          () =>
            readiness.some(
              (sample) => sample.startedAt > fault.issuedAt && sample.status === 200,
            ) && writes.some((write) => write.startedAt > fault.issuedAt && write.status < 300),
          60_000,
        );
        await sleep(steady);
      };
      try {
        await sleep(steady);

        const restart: Fault = { name: 'restart', issuedAt: Date.now() };
        faults.push(restart);
        await cluster.restart();
        await recover(restart);

        const stopStart: Fault = { name: 'fast stop and start', issuedAt: Date.now() };
        faults.push(stopStart);
        await cluster.stop();
        await sleep(drillSeconds(10, 4) * 1000);
        await cluster.start();
        await recover(stopStart);
      } finally {
        running = false;
        await Promise.all(loops);
      }

      // The outage of each fault, as the probes saw it, and how long the service took after it.
      const problems: string[] = [];
      const windows: { from: number; to: number }[] = [];
      const faultFigures = faults.map((fault) => {
        // Away for sure from the end of the first refused probe; maybe back from the start of
        // the first accepted one, so that the recovery figures err on the long side.
        fault.downAt = probes.find(
          (probe) => probe.startedAt >= fault.issuedAt && !probe.accepting,
        )?.endedAt;
        fault.backAt = probes.find(
          (probe) => probe.startedAt > (fault.downAt ?? Infinity) && probe.accepting,
        )?.startedAt;
        fault.lastDownAt = probes.findLast(
          (probe) => probe.startedAt < (fault.backAt ?? -Infinity) && !probe.accepting,
        )?.startedAt;
        if (!fault.downAt || !fault.backAt || !fault.lastDownAt) {
          problems.push(`${fault.name}: the probes did not see PostgreSQL go away and come back`);
          return `${fault.name}: not seen`;
        }
        const backAt = fault.backAt;
        const readyAgain = readiness.find(
          (sample) => sample.startedAt >= backAt && sample.status === 200,
        );
        const writeAgain = writes.find((write) => write.startedAt >= backAt && write.status < 300);
        const readySeconds = ((readyAgain?.endedAt ?? Infinity) - backAt) / 1000;
        const writeSeconds = ((writeAgain?.endedAt ?? Infinity) - backAt) / 1000;
        // Readiness must say 503 whenever PostgreSQL was surely away, and say it at least once.
        const during = readiness.filter(
          (sample) => sample.startedAt >= fault.downAt! && sample.endedAt <= fault.lastDownAt!,
        );
        const unready = readiness.filter(
          (sample) =>
            overlaps(sample, fault.issuedAt, readyAgain?.startedAt ?? Infinity) &&
            sample.status === 503,
        );
        windows.push({
          from: fault.issuedAt,
          to: Math.max(readyAgain?.endedAt ?? Infinity, writeAgain?.endedAt ?? Infinity),
        });
        if (readySeconds > RECOVERY_LIMIT_S)
          problems.push(`${fault.name}: ready ${readySeconds} s after PostgreSQL`);
        if (writeSeconds > RECOVERY_LIMIT_S)
          problems.push(`${fault.name}: first write ${writeSeconds} s after PostgreSQL`);
        if (unready.length === 0 || during.some((sample) => sample.status !== 503)) {
          problems.push(
            `${fault.name}: readiness while PostgreSQL was away: ${statusCounts(during)}`,
          );
        }
        const writesDuring = writes.filter((write) => overlaps(write, fault.downAt!, backAt));
        return (
          `${fault.name}: PostgreSQL away ${seconds(backAt - fault.downAt)} s, ready ${readySeconds.toFixed(1)} s ` +
          `and first write ${writeSeconds.toFixed(1)} s after its return; readiness while away ${statusCounts(during)} (503 x${unready.length} in all); ` +
          `writes while away ${statusCounts(writesDuring)}`
        );
      });

      // A request may fail during an outage (from the fault until service was back), and then
      // only with 503; outside one it should not fail at all.
      const outsideOutages = (answer: Answer) =>
        !windows.some((window) => overlaps(answer, window.from, window.to));
      const unexpected = [...writes, ...reads].filter(
        (answer) => answer.status >= 300 && (outsideOutages(answer) || answer.status !== 503),
      );

      // Nothing half-applied: each write that succeeded is stored with its audit event, each that
      // failed left nothing, and each stored change has exactly one audit event.
      const halfApplied: string[] = [];
      const db = database.dataSource;
      const events: {
        action: string;
        entityId: string;
        after: { version?: number; title?: string; summary?: string };
      }[] = await db.query(
        `SELECT action, entity_id AS "entityId", after FROM audit_events WHERE id > $1`,
        [lastEvent],
      );
      const milestoneRows: { id: string; title: string; version: number }[] = await db.query(
        `SELECT id, title, version FROM milestones WHERE id = ANY($1)`,
        [milestones.map((m) => m.id)],
      );
      for (const row of milestoneRows) {
        const audited = events
          .filter((event) => event.action === 'milestone.updated' && event.entityId === row.id)
          .map((event) => event.after.version!)
          .sort((a, b) => a - b);
        const expected = Array.from(
          { length: row.version - initialVersions.get(row.id)! },
          (_, index) => initialVersions.get(row.id)! + index + 1,
        );
        if (audited.join() !== expected.join()) {
          halfApplied.push(
            `milestone ${row.id}: version ${row.version}, audited versions ${audited.join()}`,
          );
        }
      }
      const milestoneEvents = new Set(
        events
          .filter((event) => event.action === 'milestone.updated')
          .map((event) => `${event.entityId} ${event.after.version} ${event.after.title}`),
      );
      const auditedTitles = new Set(events.map((event) => event.after.title));
      const statusRows: { id: string; summary: string }[] = await db.query(
        `SELECT id::text, summary FROM status_updates WHERE summary LIKE 'Writer %'`,
      );
      const statusBySummary = new Map(statusRows.map((row) => [row.summary, row.id]));
      const auditedEntities = new Set(events.map((event) => `${event.action} ${event.entityId}`));
      for (const row of statusRows) {
        if (!auditedEntities.has(`status_update.created ${row.id}`)) {
          halfApplied.push(`status update ${row.id} has no audit event`);
        }
      }
      const reportRows: { id: string; status: string }[] = await db.query(
        `SELECT id::text, status FROM reports`,
      );
      for (const row of reportRows) {
        if (!auditedEntities.has(`report.requested ${row.id}`))
          halfApplied.push(`report ${row.id} has no audit event`);
      }
      let storedFailures = 0;
      for (const write of writes) {
        const ok = write.status >= 200 && write.status < 300;
        if (write.kind === 'milestone') {
          const stored = auditedTitles.has(write.title);
          if (ok && !milestoneEvents.has(`${write.key} ${write.body.version} ${write.title}`)) {
            halfApplied.push(
              `milestone write "${write.title}" answered ${write.status} but is not stored`,
            );
          }
          if (!ok && stored) storedFailures += 1;
        } else if (write.kind === 'status-update') {
          const stored = statusBySummary.has(write.key);
          if (ok && !stored)
            halfApplied.push(
              `status update "${write.key}" answered ${write.status} but is not stored`,
            );
          if (!ok && stored) storedFailures += 1;
        } else if (ok && !reportRows.some((row) => row.id === write.key)) {
          halfApplied.push(`report ${write.key} answered ${write.status} but is not stored`);
        }
      }
      const requestedReports = writes.filter(
        (write) => write.kind === 'report' && write.status === 202,
      ).length;
      if (reportRows.length !== requestedReports) {
        halfApplied.push(`${reportRows.length} reports stored for ${requestedReports} accepted`);
      }
      if (storedFailures > 0)
        halfApplied.push(`${storedFailures} failed writes were stored all the same`);

      // Jobs: each report accepted, whatever happened to PostgreSQL under it, ends compiled.
      const reportsDone = await waitFor(
        'the reports to finish',
        async () => {
          const [counts] = await db.query(
            `SELECT count(*) FILTER (WHERE status IN ('completed', 'failed'))::int AS finished,
                    count(*) FILTER (WHERE status = 'completed')::int AS completed,
                    count(*)::int AS total FROM reports`,
          );
          return counts.finished === counts.total ? counts : undefined;
        },
        120_000,
      ).catch(() => undefined);
      if (!reportsDone || reportsDone.completed !== reportsDone.total) {
        problems.push(
          `reports completed: ${reportsDone ? `${reportsDone.completed} of ${reportsDone.total}` : 'timed out'}`,
        );
      }
      // No supervisor restarts it: a process still running is the one started, never crashed.
      const alive = service.exited() === undefined;
      if (!alive) problems.push(`the service exited (${service.exited()})`);

      const ok = writes.filter((write) => write.status >= 200 && write.status < 300).length;
      report({
        drill: 'PostgreSQL restart and fast stop/start',
        inputs: writes.length + reads.length,
        failures: unexpected.length + problems.length + halfApplied.length,
        figures: [
          ...faultFigures,
          `${writes.length} writes (${ok} 2xx), ${reads.length} reads; failed other than with 503 in an outage: ${statusCounts(unexpected)}`,
          `half-applied or lost writes: ${halfApplied.length}; reports completed ${reportsDone?.completed ?? '?'} of ${reportRows.length}; process ${service.pid} still running: ${alive ? 'yes' : 'no'}`,
        ].join('; '),
      });
      expect(problems).toEqual([]);
      expect(halfApplied).toEqual([]);
      expect(unexpected.map((answer) => `${answer.status} ${JSON.stringify(answer.body)}`)).toEqual(
        [],
      );
    } finally {
      await service?.stop();
      await sink.stop();
      await redis.stop();
      await database?.dataSource.destroy().catch(() => undefined);
      await cluster.drop();
    }
  });
});
