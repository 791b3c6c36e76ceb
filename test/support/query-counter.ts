import type { DataSource } from 'typeorm';

interface CountedClient {
  query: (...args: unknown[]) => unknown;
  recordTo?: string[];
}

/**
 * Records the SQL text of every query the application's connection pool runs, by wrapping each
 * pooled client's `query` as it is checked out. The latest recorder on a pool gets the queries.
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
    const wrapped = client.recordTo !== undefined;
    client.recordTo = recorder.queries;
    if (wrapped) return;
    const query = client.query.bind(client);
    client.query = (...args: unknown[]) => {
      const [text] = args;
      client.recordTo!.push(
        typeof text === 'string' ? text : String((text as { text?: string })?.text),
      );
      return query(...args);
    };
  });
  return recorder;
}
