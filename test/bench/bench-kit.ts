import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { createServer } from 'node:net';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { AssessmentsRepository } from '../../src/assessments/assessments.repository.js';
import { TemplatesService } from '../../src/assessments/templates.service.js';
import { hashPassword } from '../../src/auth/passwords.js';
import { type AppConfig, loadConfig } from '../../src/config/app-config.js';
import { dataSourceOptions } from '../../src/database/data-source.js';
import { prepareDatabase } from '../../src/database/prepare-database.js';
import { generatePortfolio } from '../support/synthetic-portfolio.js';

export const BENCH_PASSWORD = 'bench password, not a secret';

/** One side's figures in one round (req/s, ms, reminders/s...), by name. */
export type Figures = Record<string, number>;

/** A benchmark's result: each side's median figures, their ratio and the target it is held to. */
export interface Comparison {
  name: string;
  /** The figure the ratio is taken on, e.g. "req/s" or "ms". */
  unit: string;
  service: Figures;
  baseline: Figures;
  /** service / baseline on the unit's figure. */
  ratio: number;
  target: string;
  met: boolean;
  notes: string[];
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Medians of each figure over rounds. */
export function medians(rounds: Figures[]): Figures {
  return Object.fromEntries(
    Object.keys(rounds[0]).map((key) => [key, median(rounds.map((round) => round[key]))]),
  );
}

/**
 * Runs the two sides one after the other, `rounds` times (service, baseline, service, ...),
 * so that whatever else the machine does falls on both alike; answers each side's medians.
 */
export async function interleaved(
  rounds: number,
  service: (round: number) => Promise<Figures>,
  baseline: (round: number) => Promise<Figures>,
  progress: (message: string) => void = log,
): Promise<{ service: Figures; baseline: Figures }> {
  const serviceRounds: Figures[] = [];
  const baselineRounds: Figures[] = [];
  for (let round = 0; round < rounds; round += 1) {
    serviceRounds.push(await service(round));
    baselineRounds.push(await baseline(round));
    progress(
      `  round ${round + 1}/${rounds}: service ${format(serviceRounds[round])} | baseline ${format(baselineRounds[round])}`,
    );
  }
  return { service: medians(serviceRounds), baseline: medians(baselineRounds) };
}

export function format(figures: Figures): string {
  return Object.entries(figures)
    .map(([key, value]) => `${key} ${Number.isInteger(value) ? value : value.toFixed(2)}`)
    .join(', ');
}

/** Progress goes to stderr, so that stdout holds the results alone. */
export function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

/** The PostgreSQL server benchmarks run on: DATABASE_URL, or the local one, never the embedded one. */
const BENCH_SERVER_URL =
  process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/cirt_tracker';

/** The service's settings for a bench database: the developer's environment underneath. */
export function benchConfig(overrides: Record<string, string> = {}): AppConfig {
  return loadConfig({
    ...process.env,
    DATABASE_URL: BENCH_SERVER_URL,
    REDIS_URL: process.env.REDIS_URL || 'redis://127.0.0.1:6379',
    LOG_LEVEL: 'warn',
    NODE_ENV: 'test',
    ...overrides,
  });
}

export interface BenchDatabase {
  name: string;
  url: string;
  dataSource: DataSource;
  admin: { id: string; email: string };
  drop(): Promise<void>;
}

/** The URL of database `name` on the server of `serverUrl` (by default the service's own). */
function urlOf(name: string, serverUrl = BENCH_SERVER_URL): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function withAdminClient<T>(
  work: (client: pg.Client) => Promise<T>,
  serverUrl?: string,
): Promise<T> {
  const client = new pg.Client({ connectionString: urlOf('postgres', serverUrl) });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * A fresh database, migrated, filled with a synthetic portfolio of `programmes` programmes over
 * every country (set-based SQL: seconds, not minutes), and an admin who can sign in. It lives on
 * the server of `serverUrl`, by default the one DATABASE_URL names.
 */
export async function createBenchDatabase(
  label: string,
  programmes: number,
  serverUrl?: string,
): Promise<BenchDatabase> {
  const name = `cirt_bench_${label}_${process.pid}`;
  await withAdminClient(
    (client) => client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`),
    serverUrl,
  );
  const url = urlOf(name, serverUrl);
  const config = benchConfig({ DATABASE_URL: url });
  await prepareDatabase(config);
  const dataSource = new DataSource(dataSourceOptions(config, 4));
  await dataSource.initialize();
  const email = `bench.admin@${label}.example.org`;
  const [admin] = await dataSource.query(
    `INSERT INTO users (email, display_name, role, password_hash)
     VALUES ($1, 'Bench administrator', 'admin', $2) RETURNING id, email`,
    [email, await hashPassword(BENCH_PASSWORD)],
  );
  // as the service's start does
  await new TemplatesService(new AssessmentsRepository(dataSource), config).onModuleInit();
  await generatePortfolio(dataSource, admin.id, { programmes });
  return {
    name,
    url,
    dataSource,
    admin,
    async drop() {
      await dataSource.destroy();
      await withAdminClient(
        (client) =>
          client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`),
        serverUrl,
      );
    },
  };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface ChildServer {
  url: string;
  pid: number;
  /** The exit code or signal once the process has ended; undefined while it runs. */
  exited(): string | undefined;
  stop(): Promise<void>;
}

/**
 * Spawns a Node.js server and waits until `readyPath` answers 200. Its output goes to `logFile`
 * when given, else its stderr to ours.
 */
export async function startChild(
  script: string,
  env: Record<string, string>,
  readyPath: string,
  args: string[] = [],
  logFile?: string,
): Promise<ChildServer> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [...args, script], {
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: logFile ? ['ignore', 'pipe', 'pipe'] : ['ignore', 'ignore', 'inherit'],
  });
  if (logFile) {
    mkdirSync(dirname(logFile), { recursive: true });
    const log = createWriteStream(logFile);
    child.stdout!.pipe(log);
    child.stderr!.pipe(log);
  }
  const seeLog = logFile ? `: see ${logFile}` : '';
  const exited = () =>
    child.exitCode !== null || child.signalCode !== null
      ? String(child.exitCode ?? child.signalCode)
      : undefined;
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited()) throw new Error(`${script} exited (${exited()})${seeLog}`);
    const ready = await fetch(`${url}${readyPath}`).then(
      (response) => response.status === 200,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${script} did not answer ${readyPath} within 60 s${seeLog}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    url,
    pid: child.pid!,
    exited,
    /** Asks the process to stop, and kills it if it has not within 20 s (a hung one would not). */
    async stop() {
      if (exited()) return;
      const ended = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const kill = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await ended;
      clearTimeout(kill);
    },
  };
}

/** The service itself, as `npm start` runs it (from dist/), on the given database. */
export function startService(
  databaseUrl: string,
  env: Record<string, string> = {},
): Promise<ChildServer> {
  return startChild(
    'dist/src/main.js',
    // Benchmarks measure throughput, so one user's report-request limit is lifted.
    // Queues on Redis unless `env` empties REDIS_URL.
    {
      DATABASE_URL: databaseUrl,
      REDIS_URL: benchConfig().REDIS_URL!,
      LOG_LEVEL: 'warn',
      NODE_ENV: 'test',
      REPORT_REQUESTS_PER_MINUTE: '1000000',
      ...env,
    },
    '/health/ready',
  );
}

export async function signIn(serviceUrl: string, email: string): Promise<string> {
  const response = await fetch(`${serviceUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: BENCH_PASSWORD }),
  });
  if (response.status !== 200) throw new Error(`sign-in: ${response.status}`);
  return ((await response.json()) as { accessToken: string }).accessToken;
}

/** Resident and peak resident memory of a process, in MB (from /proc). */
export function memoryOf(pid: number): { rssMb: number; peakMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(status)![1]);
  return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
}

/** Resets a process's peak memory (VmHWM) to its current size, so a peak can be measured per run. */
export function resetPeakMemory(pid: number): void {
  writeFileSync(`/proc/${pid}/clear_refs`, '5'); // "5" resets the peak resident set size (proc(5))
}
