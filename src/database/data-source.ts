import type { DataSourceOptions } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';
import { MIGRATIONS } from '../../migrations/index.js';
import { SnakeNamingStrategy } from './snake-naming.strategy.js';

/**
 * The one description of our database connection, shared by the application, the migration
 * CLI and the test harness. Entities are added by the caller: the application registers them
 * per feature module, the CLI finds the compiled ones.
 */
export function dataSourceOptions(
  config: AppConfig,
  poolSize = config.DATABASE_POOL_SIZE,
): DataSourceOptions {
  return {
    type: 'postgres',
    url: config.databaseUrl,
    namingStrategy: new SnakeNamingStrategy(),
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    // Failed queries surface as errors where they are handled; logging them here would print
    // their parameters, password hashes included.
    logging: false,
    poolSize,
    extra: {
      application_name: 'cirt-tracker',
      connectionTimeoutMillis: 5_000,
    },
  };
}
