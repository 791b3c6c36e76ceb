import pg from 'pg';
import { ReportDataQuery } from '../../src/reports/report-data.query.js';
import {
  type BenchDatabase,
  type Comparison,
  interleaved,
  memoryOf,
  resetPeakMemory,
  signIn,
  startService,
} from './bench-kit.js';
import { captureSql } from './b1-list.js';

/** The statements a global report reads its figures with, as ReportDataQuery writes them. */
async function reportSql() {
  const asOf = new Date();
  return captureSql(async (dataSource) => {
    const data = new ReportDataQuery(dataSource);
    await data.programmes({}, asOf);
    await data.aggregates({}, asOf);
    await data.weakestIndicators({});
  });
}

/**
 * B2: the global report in JSON and CSV compiled by the service's worker (from its own start
 * and end times), against the same SQL run bare with pg, reading every row.
 */
export async function benchReport(
  database: BenchDatabase,
  options: { rounds: number },
): Promise<Comparison> {
  const service = await startService(database.url, {
    PROCESS_ROLE: 'all',
    QUEUE_PREFIX: `bench-${database.name}`,
  });
  const statements = await reportSql();
  const bare = new pg.Client({ connectionString: database.url });
  await bare.connect();
  try {
    const token = await signIn(service.url, database.admin.email);
    const compile = async () => {
      const before = memoryOf(service.pid).rssMb;
      resetPeakMemory(service.pid);
      const response = await fetch(`${service.url}/api/v1/reports`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ scope: {}, formats: ['json', 'csv'] }),
      });
      if (response.status !== 202 && response.status !== 201) {
        throw new Error(`report request: ${response.status} ${await response.text()}`);
      }
      const { id } = (await response.json()) as { id: string };
      for (;;) {
        const [report] = await database.dataSource.query(
          `SELECT status, error, extract(epoch FROM completed_at - started_at) * 1000 AS ms
           FROM reports WHERE id = $1`,
          [id],
        );
        if (report.status === 'failed') throw new Error(`report failed: ${report.error}`);
        if (report.status === 'completed') {
          return {
            ms: Number(report.ms),
            'peak RSS growth MB': memoryOf(service.pid).peakMb - before,
          };
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    const runBare = async () => {
      const started = performance.now();
      for (const statement of statements) await bare.query(statement.sql, statement.params);
      return { ms: performance.now() - started };
    };
    await compile(); // warm-up: the first compile loads the renderers
    const result = await interleaved(options.rounds, compile, runBare);
    const ratio = result.service.ms / result.baseline.ms;
    return {
      name: 'B2 report compile',
      unit: 'ms',
      ...result,
      ratio,
      target: 'ratio <= 1.5',
      met: ratio <= 1.5,
      notes: [],
    };
  } finally {
    await bare.end();
    await service.stop();
  }
}
