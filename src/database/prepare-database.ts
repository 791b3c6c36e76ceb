import { runMigrations } from 'bullmq';
import { Logger } from '@nestjs/common';
import pg from 'pg';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';
import { loadReferenceData } from '../countries/reference-data.js';
import { dataSourceOptions } from './data-source.js';

/** Any fixed number works; it only has to be the same for every process of this product. */
const MIGRATION_LOCK_KEY = 4_187_264_301;

/** The schema of BullMQ's PostgreSQL backend, when REDIS_URL is unset. */
export const QUEUE_SCHEMA = 'bullmq';

const logger = new Logger('Database');

function isPgError(error: unknown, ...codes: string[]): boolean {
  return codes.includes((error as { code?: string })?.code ?? '');
}

/** Creates the database named in the URL when the server does not have it yet. */
export async function createDatabaseIfMissing(databaseUrl: string): Promise<void> {
  const probe = new pg.Client({ connectionString: databaseUrl });
  try {
    await probe.connect();
    return;
  } catch (error) {
    if (!isPgError(error, '3D000')) throw error; // 3D000: database does not exist
  } finally {
    await probe.end().catch(() => undefined);
  }

  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.slice(1));
  url.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: url.toString() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
    logger.log(`Created database ${name}`);
  } catch (error) {
    // Another process created it between our probe and our CREATE.
    if (!isPgError(error, '42P04', '23505')) throw error;
  } finally {
    await admin.end();
  }
}

/** BullMQ's own tables and functions, for queues in PostgreSQL. */
async function migrateQueueSchema(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const version = await runMigrations(client, QUEUE_SCHEMA);
    logger.log(`Queues in PostgreSQL: schema ${QUEUE_SCHEMA} at version ${version}`);
  } finally {
    await client.end();
  }
}

/**
 * Brings the database to the current schema and reference data. Runs under a PostgreSQL
 * advisory lock so that processes starting together apply each migration once.
 */
export async function prepareDatabase(config: AppConfig): Promise<void> {
  await createDatabaseIfMissing(config.databaseUrl);
  const dataSource = new DataSource(dataSourceOptions(config, 2));
  await dataSource.initialize();
  const lock = dataSource.createQueryRunner();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const applied = await dataSource.runMigrations();
    if (applied.length > 0) {
      logger.log(`Applied migrations: ${applied.map((migration) => migration.name).join(', ')}`);
    }
    await dataSource.transaction((manager) => loadReferenceData(manager));
    if (config.queueBackend === 'postgres') await migrateQueueSchema(config.databaseUrl);
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await lock.release();
    await dataSource.destroy();
  }
}
