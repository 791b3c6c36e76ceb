import {
  type BenchDatabase,
  type Comparison,
  interleaved,
  signIn,
  startService,
} from './bench-kit.js';
import { load } from './load.js';

/** One caller at a time: the figure is how long one answer takes, not throughput. */
const CONNECTIONS = 1;

/**
 * The lifecycle KPIs against the programme list's first page, both as an admin sees them (the
 * whole portfolio): the KPIs aggregate every programme's phase history and milestones, the list
 * reads one page. Issue 25 holds the KPIs to twice the first page's time.
 */
export async function benchKpis(
  database: BenchDatabase,
  options: { rounds: number; durationSeconds: number; poolSize: number },
): Promise<Comparison> {
  const service = await startService(database.url, {
    PROCESS_ROLE: 'api',
    DATABASE_POOL_SIZE: String(options.poolSize),
  });
  try {
    const headers = { authorization: `Bearer ${await signIn(service.url, database.admin.email)}` };
    const kpis = `${service.url}/api/v1/portfolio/kpis`;
    const firstPage = `${service.url}/api/v1/programmes`;
    const run = (url: string) => () =>
      load({ url, connections: CONNECTIONS, durationSeconds: options.durationSeconds, headers });
    for (const url of [kpis, firstPage]) {
      await load({ url, connections: 1, durationSeconds: 1, headers });
    }
    const result = await interleaved(options.rounds, run(kpis), run(firstPage));
    const ratio = result.service['p50 ms'] / result.baseline['p50 ms'];
    return {
      name: 'KPIs vs list page',
      unit: 'p50 ms',
      ...result,
      ratio,
      target: 'KPIs p50 <= 2 x the first page of GET /programmes, one caller',
      met: ratio <= 2 && result.service.errors === 0 && result.baseline.errors === 0,
      notes: [],
    };
  } finally {
    await service.stop();
  }
}
