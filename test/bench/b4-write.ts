import type autocannon from 'autocannon';
import type { BenchDatabase, Comparison } from './bench-kit.js';
import { interleaved } from './bench-kit.js';
import { startApiAndBaseline } from './b1-list.js';
import { load } from './load.js';

const CONNECTIONS = 50;
/** Many more milestones than connections, so that writers never wait on each other's rows. */
const MILESTONES = 2_000;

/**
 * Milestones handed out to requests and given back with the version each response carries, so
 * that every PATCH sends the version it last read, as a client would.
 */
function milestonePatches(rows: { id: string; version: number }[], path: (id: string) => string) {
  const free = rows.map((row) => ({ ...row }));
  let written = 0;
  const request: autocannon.Request = {
    method: 'PATCH',
    setupRequest: (request) => {
      const milestone = free.shift()!;
      written += 1;
      return {
        ...request,
        path: path(milestone.id),
        headers: { ...request.headers, 'content-type': 'application/json' },
        body: JSON.stringify({ title: `Benchmark title ${written}`, version: milestone.version }),
      };
    },
    onResponse: (status, body) => {
      if (status !== 200) return;
      const { id, version } = JSON.parse(body) as { id: string; version: number };
      free.push({ id, version });
    },
  };
  return request;
}

/** B4: PATCH /milestones/:id (version check, audit event) against the bare UPDATE. */
export async function benchWrite(
  database: BenchDatabase,
  options: { rounds: number; durationSeconds: number; poolSize: number },
): Promise<Comparison> {
  const { service, baseline, token, stop } = await startApiAndBaseline(database, options.poolSize);
  // Each run writes milestones of its own, so a request still in flight when the previous run
  // stopped cannot make this run's versions stale.
  const milestones = async (block: number) =>
    (await database.dataSource.query(
      `SELECT id, version FROM milestones ORDER BY id LIMIT $1 OFFSET $2`,
      [MILESTONES, block * MILESTONES],
    )) as { id: string; version: number }[];
  try {
    const run =
      (side: number, url: string, path: (id: string) => string, headers?: Record<string, string>) =>
      async (round: number) =>
        load({
          url,
          connections: CONNECTIONS,
          durationSeconds: options.durationSeconds,
          headers,
          requests: [milestonePatches(await milestones(round * 2 + side), path)],
        });
    const result = await interleaved(
      options.rounds,
      run(0, service.url, (id) => `/api/v1/milestones/${id}`, {
        authorization: `Bearer ${token}`,
      }),
      run(1, baseline.url, (id) => `/milestones/${id}`),
    );
    const ratio = result.service['req/s'] / result.baseline['req/s'];
    return {
      name: 'B4 write path',
      unit: 'req/s',
      ...result,
      ratio,
      target: 'ratio >= 0.5',
      met: ratio >= 0.5 && result.service.errors === 0,
      notes: [],
    };
  } finally {
    await stop();
  }
}
