import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../migrations/index.js';
import { dataSourceOptions } from '../src/database/data-source.js';
import { prepareDatabase } from '../src/database/prepare-database.js';
import {
  databaseUrl,
  dropDatabase,
  testConfig,
  uniqueDatabaseName,
} from './support/test-database.js';

describe(prepareDatabase.name, () => {
  const name = uniqueDatabaseName('prepare');
  const config = testConfig({ DATABASE_URL: databaseUrl(name) });
  let dataSource: DataSource;

  afterAll(async () => {
    await dataSource?.destroy();
    await dropDatabase(name);
  });

  it('should create the database and migrate it once when two processes start together', async () => {
    await Promise.all([prepareDatabase(config), prepareDatabase(config), prepareDatabase(config)]);

    dataSource = new DataSource(dataSourceOptions(config, 1));
    await dataSource.initialize();
    const applied: { name: string }[] = await dataSource.query('SELECT name FROM migrations');
    expect(applied.map((row) => row.name)).toEqual(MIGRATIONS.map((migration) => migration.name));
    expect(await dataSource.query('SELECT count(*)::int AS n FROM countries')).toEqual([
      { n: 195 },
    ]);
    expect(await dataSource.query('SELECT count(*)::int AS n FROM regions')).toEqual([{ n: 6 }]);
  });

  it("should keep an administrator's region mapping and restore missing rows on the next start", async () => {
    await dataSource.query(`UPDATE countries SET region_code = 'AFR' WHERE code = 'KM'`);
    await dataSource.query(`DELETE FROM countries WHERE code = 'PW'`);

    await prepareDatabase(config);

    expect(await dataSource.query(`SELECT region_code FROM countries WHERE code = 'KM'`)).toEqual([
      { region_code: 'AFR' },
    ]);
    expect(
      await dataSource.query(`SELECT region_code, itu_member FROM countries WHERE code = 'PW'`),
    ).toEqual([{ region_code: 'ASP', itu_member: false }]);
  });
});
