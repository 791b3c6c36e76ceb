import pg from 'pg';

// Runs outside Jest's module system (it cannot import src/), hence the plain default URL.
const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/cirt_tracker';

/** Drops this run's template and whatever a crashed test file left behind. */
export default async function globalTeardown(): Promise<void> {
  const url = new URL(process.env.DATABASE_URL || DEFAULT_DATABASE_URL);
  url.pathname = '/postgres';
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname LIKE 'cirt\\_test\\_%' AND strpos(datname, $1) > 0`,
      [`_${process.env.CIRT_TEST_RUN}`],
    );
    for (const { datname } of rows) {
      await client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(datname)} WITH (FORCE)`);
    }
  } finally {
    await client.end();
  }
}
