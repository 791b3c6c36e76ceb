import type { DataSource } from 'typeorm';

interface CountedClient {
  query: (...args: unknown[]) => unknown;
  countedQueries?: true;
}

/**
 * Records the SQL text of every query the application's connection pool runs, by wrapping each
 * pooled client's `query` as it is checked out.
 */
export function recordQueries(dataSource: DataSource): { queries: string[]; reset(): void } {
  const recorder = {
    queries: [] as string[],
    reset() {
      recorder.queries.length = 0;
    },
  };
  const pool = (dataSource.driver as unknown as { master: NodeJS.EventEmitter }).master;
  pool.on('acquire', (client: CountedClient) => {
    if (client.countedQueries) return;
    const query = client.query.bind(client);
    client.query = (...args: unknown[]) => {
      const [text] = args;
      recorder.queries.push(
        typeof text === 'string' ? text : String((text as { text?: string })?.text),
      );
      return query(...args);
    };
    client.countedQueries = true;
  });
  return recorder;
}
