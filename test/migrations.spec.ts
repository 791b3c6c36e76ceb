import { readdirSync } from 'node:fs';
import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../migrations/index.js';
import { dataSourceOptions } from '../src/database/data-source.js';
import { createDatabaseIfMissing } from '../src/database/prepare-database.js';
import {
  databaseUrl,
  dropDatabase,
  testConfig,
  uniqueDatabaseName,
} from './support/test-database.js';

async function tables(dataSource: DataSource): Promise<string[]> {
  const rows: { table_name: string }[] = await dataSource.query(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`,
  );
  return rows.map((row) => row.table_name);
}

describe('migrations', () => {
  it('should list every file of migrations/ in migrations/index.ts, oldest first', () => {
    const timestamps = readdirSync('migrations')
      .filter((file) => /^\d{13}-.+\.ts$/.test(file))
      .map((file) => file.slice(0, 13))
      .sort();
    expect(MIGRATIONS.map((migration) => migration.name.slice(-13))).toEqual(timestamps);
  });

  it('should migrate up, all the way down and up again on an empty database', async () => {
    const name = uniqueDatabaseName('migrations');
    await createDatabaseIfMissing(databaseUrl(name));
    const dataSource = new DataSource(
      dataSourceOptions(testConfig({ DATABASE_URL: databaseUrl(name) }), 2),
    );
    await dataSource.initialize();
    try {
      await dataSource.runMigrations();
      const migrated = await tables(dataSource);
      expect(migrated).toEqual(expect.arrayContaining(['countries', 'migrations', 'regions']));

      for (let step = 0; step < MIGRATIONS.length; step += 1) await dataSource.undoLastMigration();
      expect(await tables(dataSource)).toEqual(['migrations']);
      expect(await dataSource.query('SELECT * FROM migrations')).toEqual([]);

      await dataSource.runMigrations();
      expect(await tables(dataSource)).toEqual(migrated);
    } finally {
      await dataSource.destroy();
      await dropDatabase(name);
    }
  });
});
