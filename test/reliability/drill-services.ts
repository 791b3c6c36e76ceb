import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { promisify } from 'node:util';
import pg from 'pg';
import { type ChildServer, benchConfig, freePort, startChild } from '../bench/bench-kit.js';

const run = promisify(execFile);

/** The newest PostgreSQL of the machine, whose cluster tools the drills use. */
const PG_VERSION = readdirSync('/etc/postgresql').sort().at(-1)!;

/**
 * A PostgreSQL cluster of the drill's own (Debian's pg_createcluster, trust on loopback), which
 * the drill may restart and stop without touching anyone else's server.
 */
export class PostgresCluster {
  private constructor(
    readonly name: string,
    readonly port: number,
  ) {}

  static async create(label: string): Promise<PostgresCluster> {
    const cluster = new PostgresCluster(`drill${label}${process.pid}`, await freePort());
    await run('pg_createcluster', [
      PG_VERSION,
      cluster.name,
      '--port',
      String(cluster.port),
      '--',
      '--auth=trust',
    ]);
    await cluster.ctl('start');
    return cluster;
  }

  /** The URL of a database on this cluster. */
  url(database = 'postgres'): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  restart(): Promise<void> {
    return this.ctl('restart', '--mode', 'fast');
  }

  stop(): Promise<void> {
    return this.ctl('stop', '--mode', 'fast');
  }

  start(): Promise<void> {
    return this.ctl('start');
  }

  /** True when a new connection gets through and answers a query. */
  async accepting(): Promise<boolean> {
    const client = new pg.Client({ connectionString: this.url(), connectionTimeoutMillis: 1_000 });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query('SELECT 1');
      return true;
    } catch {
      return false;
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  async drop(): Promise<void> {
    await run('pg_dropcluster', ['--stop', PG_VERSION, this.name]);
  }

  private async ctl(...args: string[]): Promise<void> {
    await run('pg_ctlcluster', [PG_VERSION, this.name, ...args]);
  }
}

/**
 * The built service (`dist/src/main.js`, workers included) as a child process with its log in
 * test-artifacts/reliability/<label>.log; resolves once /health/ready answers 200.
 */
export function startDrillService(
  label: string,
  env: Record<string, string>,
): Promise<ChildServer> {
  return startChild(
    'dist/src/main.js',
    // The drills load the service with more report requests than one user may make in a minute.
    {
      PROCESS_ROLE: 'all',
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      REPORT_REQUESTS_PER_MINUTE: '1000000',
      // The drills that restart Redis name their own.
      REDIS_URL: benchConfig().REDIS_URL!,
      ...env,
    },
    '/health/ready',
    [],
    `test-artifacts/reliability/${label}.log`,
  );
}

export interface Answer {
  /** 0 when no answer came (refused, reset, timed out). */
  status: number;
  /** The parsed JSON answer, as the drills read it. */
  body: any;
  startedAt: number;
  endedAt: number;
}

/** Requests as one signed-in user; never throws, a request without an answer has status 0. */
export function apiClient(baseUrl: string, token: string) {
  return async (method: string, path: string, body?: object): Promise<Answer> => {
    const startedAt = Date.now();
    try {
      const response = await fetch(`${baseUrl}/api/v1${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        body: body ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(15_000),
      });
      const text = await response.text();
      return {
        status: response.status,
        body: text ? JSON.parse(text) : undefined,
        startedAt,
        endedAt: Date.now(),
      };
    } catch {
      return { status: 0, body: undefined, startedAt, endedAt: Date.now() };
    }
  };
}

/** Counts of each status, as "200 x41, 503 x3". */
export function statusCounts(answers: { status: number }[]): string {
  const counts = new Map<number, number>();
  for (const { status } of answers) counts.set(status, (counts.get(status) ?? 0) + 1);
  return (
    [...counts.entries()]
      .sort(([a], [b]) => a - b)
      .map(([status, count]) => `${status} x${count}`)
      .join(', ') || 'none'
  );
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Seconds with one decimal, for the figures. */
export const seconds = (ms: number) => (ms / 1000).toFixed(1);
