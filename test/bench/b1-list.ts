import { writeFileSync } from 'node:fs';
import type { DataSource } from 'typeorm';
import { AccessPolicy } from '../../src/auth/access-policy.js';
import type { Principal } from '../../src/auth/roles.js';
import { Clock } from '../../src/common/clock.js';
import { ProgrammesQuery } from '../../src/programmes/dto/programme.dto.js';
import { PhaseMediansQuery } from '../../src/programmes/phase-medians.query.js';
import { ProgrammeListQuery } from '../../src/programmes/programme-list.query.js';
import {
  type BenchDatabase,
  type Comparison,
  interleaved,
  signIn,
  startChild,
  startService,
} from './bench-kit.js';
import { load } from './load.js';

export const LIST_QUERY = { pageSize: 50, region: 'EUR', sort: '-daysInPhase' } as const;
const CONNECTIONS = 50;

/** The SQL statements a product query builder runs, taken without running them. */
export async function captureSql(
  run: (dataSource: DataSource) => Promise<unknown>,
): Promise<{ sql: string; params: unknown[] }[]> {
  const captured: { sql: string; params: unknown[] }[] = [];
  const recorder = {
    query: async (sql: string, params: unknown[] = []) => {
      captured.push({ sql, params });
      return [];
    },
  } as unknown as DataSource;
  await run(recorder);
  return captured;
}

/** The list request's SQL exactly as ProgrammeListQuery writes it for an admin. */
export async function listSql(admin: { id: string; email: string }) {
  const principal: Principal = {
    ...admin,
    displayName: 'Bench administrator',
    role: 'admin',
    countryCode: null,
    regionCode: null,
    locale: 'en',
    timezone: null,
    passwordChangeRequired: false,
  };
  const [statement] = await captureSql((dataSource) =>
    new ProgrammeListQuery(
      dataSource,
      new AccessPolicy(),
      new Clock(),
      new PhaseMediansQuery(dataSource),
    ).list(principal, Object.assign(new ProgrammesQuery(), LIST_QUERY)),
  );
  return statement;
}

/** Starts the bare baseline server on a database, answering the captured list SQL. */
export async function startBaseline(database: BenchDatabase, poolSize: number) {
  const sqlFile = `/tmp/${database.name}-baseline-sql.json`;
  writeFileSync(sqlFile, JSON.stringify({ list: await listSql(database.admin) }));
  return startChild(
    'dist/test/bench/baseline-server.js',
    {
      DATABASE_URL: database.url,
      DATABASE_POOL_SIZE: String(poolSize),
      BASELINE_SQL_FILE: sqlFile,
    },
    '/health/ready',
  );
}

/** The API (no workers) and the bare baseline on one database, with a signed-in admin's token. */
export async function startApiAndBaseline(database: BenchDatabase, poolSize: number) {
  const service = await startService(database.url, {
    PROCESS_ROLE: 'api',
    DATABASE_POOL_SIZE: String(poolSize),
  });
  const baseline = await startBaseline(database, poolSize);
  return {
    service,
    baseline,
    token: await signIn(service.url, database.admin.email),
    async stop() {
      await service.stop();
      await baseline.stop();
    },
  };
}

/** B1: the programme list under load, the API against the bare server with the same SQL. */
export async function benchList(
  database: BenchDatabase,
  options: { rounds: number; durationSeconds: number; poolSize: number },
): Promise<Comparison> {
  const { service, baseline, token, stop } = await startApiAndBaseline(database, options.poolSize);
  try {
    const search = new URLSearchParams(
      Object.fromEntries(Object.entries(LIST_QUERY).map(([key, value]) => [key, String(value)])),
    );
    const run = (url: string, headers?: Record<string, string>) => () =>
      load({ url, connections: CONNECTIONS, durationSeconds: options.durationSeconds, headers });
    // A short warm-up of each, so that neither side's first round pays for JIT and pool start.
    await load({
      url: `${service.url}/api/v1/programmes?${search}`,
      connections: 10,
      durationSeconds: 1,
      headers: { authorization: `Bearer ${token}` },
    });
    await load({
      url: `${baseline.url}/programmes?${search}`,
      connections: 10,
      durationSeconds: 1,
    });
    const result = await interleaved(
      options.rounds,
      run(`${service.url}/api/v1/programmes?${search}`, { authorization: `Bearer ${token}` }),
      run(`${baseline.url}/programmes?${search}`),
    );
    const ratio = result.service['req/s'] / result.baseline['req/s'];
    return {
      name: 'B1 list API',
      unit: 'req/s',
      ...result,
      ratio,
      target: `ratio >= 0.6, p99 < 50 ms at ${CONNECTIONS} connections`,
      met: ratio >= 0.6 && result.service['p99 ms'] < 50 && result.service.errors === 0,
      notes: [],
    };
  } finally {
    await stop();
  }
}
