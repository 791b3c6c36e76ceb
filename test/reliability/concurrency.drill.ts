import { benchConfig, createBenchDatabase, signIn } from '../bench/bench-kit.js';
import { deleteRedisKeys } from '../support/redis-keys.js';
import { drillSeconds, report } from './drill-kit.js';
import {
  type Answer,
  apiClient,
  seconds,
  startDrillService,
  statusCounts,
} from './drill-services.js';

const CLIENTS = 200;
const MILESTONES = 10;

interface Success {
  milestoneId: string;
  version: number;
  title: string;
}

describe('concurrency drill', () => {
  it(`should lose no update when ${CLIENTS} clients write the same ${MILESTONES} milestones with versions`, async () => {
    const duration = drillSeconds(30, 10);
    const database = await createBenchDatabase('concurrency', MILESTONES);
    const prefix = `drill-concurrency-${process.pid}`;
    const redisUrl = benchConfig().REDIS_URL!;
    const service = await startDrillService('concurrency', {
      DATABASE_URL: database.url,
      REDIS_URL: redisUrl,
      QUEUE_PREFIX: prefix,
    });
    try {
      // One milestone of each programme, so that each GET reads one programme's list.
      const milestones: { id: string; programmeId: string; version: number }[] =
        await database.dataSource.query(
          `SELECT DISTINCT ON (programme_id) id, programme_id AS "programmeId", version
           FROM milestones ORDER BY programme_id, id LIMIT $1`,
          [MILESTONES],
        );
      const api = apiClient(service.url, await signIn(service.url, database.admin.email));

      const successes: Success[] = [];
      const unexpected: Answer[] = [];
      let attempts = 0;
      let conflicts = 0;
      let reads = 0;
      const started = Date.now();
      const deadline = started + duration * 1000;
      const writeLoop = async (clientNumber: number) => {
        const milestone = milestones[clientNumber % MILESTONES];
        for (let write = 1; Date.now() < deadline; write += 1) {
          reads += 1;
          const read = await api(
            'GET',
            `/programmes/${milestone.programmeId}/milestones?pageSize=200`,
          );
          if (read.status !== 200) {
            unexpected.push(read);
            continue;
          }
          const { version } = read.body.items.find(
            (item: { id: string }) => item.id === milestone.id,
          );
          const title = `Client ${clientNumber} write ${write}`;
          attempts += 1;
          const written = await api('PATCH', `/milestones/${milestone.id}`, { version, title });
          if (written.status === 200) {
            successes.push({ milestoneId: milestone.id, version: written.body.version, title });
          } else if (written.status === 409) {
            conflicts += 1;
          } else {
            unexpected.push(written);
          }
        }
      };
      await Promise.all(Array.from({ length: CLIENTS }, (_, client) => writeLoop(client)));
      const elapsedMs = Date.now() - started;

      // Each milestone: its row, and the versions of its audit events.
      const stored: { id: string; title: string; version: number; audited: number[] }[] =
        await database.dataSource.query(
          `SELECT m.id, m.title, m.version,
                  coalesce(array_agg((a.after ->> 'version')::int) FILTER (WHERE a.id IS NOT NULL), '{}') AS audited
           FROM milestones m
           LEFT JOIN audit_events a ON a.entity_type = 'milestone' AND a.entity_id = m.id::text
                                   AND a.action = 'milestone.updated'
           WHERE m.id = ANY($1) GROUP BY m.id`,
          [milestones.map((milestone) => milestone.id)],
        );
      const problems: string[] = [];
      for (const milestone of milestones) {
        const mine = successes
          .filter((success) => success.milestoneId === milestone.id)
          .sort((a, b) => a.version - b.version);
        const row = stored.find((candidate) => candidate.id === milestone.id)!;
        const last = mine.at(-1);
        const versions = mine.map((success) => success.version);
        if (new Set(versions).size !== versions.length) {
          problems.push(`${milestone.id}: two successes answered the same version`);
        }
        if (last && row.title !== last.title) {
          problems.push(`${milestone.id}: title "${row.title}", last write "${last.title}"`);
        }
        if (row.version !== milestone.version + mine.length) {
          problems.push(
            `${milestone.id}: version ${row.version} after ${mine.length} writes from ${milestone.version}`,
          );
        }
        const audited = [...row.audited].sort((a, b) => a - b);
        if (audited.join() !== versions.join()) {
          problems.push(
            `${milestone.id}: ${audited.length} audit events for ${mine.length} successes`,
          );
        }
      }

      const figures = [
        `${seconds(elapsedMs)} s, ${CLIENTS} clients on ${MILESTONES} milestones`,
        `${attempts} PATCHes (${Math.round(attempts / (elapsedMs / 1000))}/s) after ${reads} GETs`,
        `${successes.length} 200, ${conflicts} 409, ${unexpected.length} other (${statusCounts(unexpected)})`,
        `audit events = successes and final title = last write: ${problems.length === 0 ? 'yes' : `no, ${problems.length} problems`}`,
      ].join('; ');
      report({
        drill: 'Concurrency: 200 clients, same 10 milestones',
        inputs: attempts,
        failures: unexpected.length + problems.length,
        figures,
      });
      expect(problems).toEqual([]);
      expect(unexpected.map((answer) => answer.status)).toEqual([]);
      expect(successes.length + conflicts).toBe(attempts);
      expect(service.exited()).toBeUndefined();
    } finally {
      await service.stop();
      await database.drop();
      await deleteRedisKeys(redisUrl, prefix);
    }
  });
});
