import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { AppConfig, loadConfig } from '../../src/config/app-config.js';
import { prepareDatabase } from '../../src/database/prepare-database.js';

const RUN = process.env.CIRT_TEST_RUN ?? `r${process.pid}`;
const TEMPLATE_DATABASE = `cirt_test_template_${RUN}`;
const TEMPLATE_LOCK_KEY = 4_187_264_302;

/**
 * The PostgreSQL server the tests run on: DATABASE_URL, or the local one the README names. Tests
 * never fall back to the embedded database, which the service starts when DATABASE_URL is unset.
 */
export const TEST_SERVER_URL =
  process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/cirt_tracker';

/**
 * The Redis of the tests' queues: REDIS_URL, or the local one. With TEST_QUEUES=postgres, none:
 * the queues live in each test's database, as in the service without REDIS_URL.
 */
export const TEST_REDIS_URL =
  process.env.TEST_QUEUES === 'postgres'
    ? undefined
    : process.env.REDIS_URL || 'redis://127.0.0.1:6379';

/** The settings of a test process: the developer's environment, quiet logs, overrides on top. */
export function testConfig(overrides: Record<string, string> = {}): AppConfig {
  return loadConfig({
    ...process.env,
    DATABASE_URL: TEST_SERVER_URL,
    REDIS_URL: TEST_REDIS_URL,
    LOG_LEVEL: 'silent',
    ...overrides,
  });
}

/** The URL of another database on the test server. */
export function databaseUrl(name: string): string {
  const url = new URL(TEST_SERVER_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function withAdminClient<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl('postgres') });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A database name of this run that no other test file uses; the teardown drops it if left. */
export function uniqueDatabaseName(label: string): string {
  return `cirt_test_${label}_${RUN}_${process.pid}_${randomBytes(3).toString('hex')}`;
}

export async function dropDatabase(name: string): Promise<void> {
  await withAdminClient((client) =>
    client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`),
  );
}

/** The first test file of the run migrates the template; the others wait for it and reuse it. */
async function ensureTemplate(): Promise<void> {
  await withAdminClient(async (client) => {
    await client.query('SELECT pg_advisory_lock($1)', [TEMPLATE_LOCK_KEY]);
    try {
      const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [
        TEMPLATE_DATABASE,
      ]);
      if (rowCount === 0) {
        // REDIS_URL unset: with BullMQ's schema too, so that a test may keep its queues in PostgreSQL.
        await prepareDatabase(
          testConfig({ DATABASE_URL: databaseUrl(TEMPLATE_DATABASE), REDIS_URL: '' }),
        );
      }
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [TEMPLATE_LOCK_KEY]);
    }
  });
}

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** A migrated database of the caller's own, cloned from the run's template in milliseconds. */
export async function cloneTemplateDatabase(label = 'db'): Promise<TestDatabase> {
  await ensureTemplate();
  const name = uniqueDatabaseName(label);
  await withAdminClient((client) =>
    client.query(
      `CREATE DATABASE ${pg.escapeIdentifier(name)} TEMPLATE ${pg.escapeIdentifier(TEMPLATE_DATABASE)}`,
    ),
  );
  return { name, url: databaseUrl(name), drop: () => dropDatabase(name) };
}
