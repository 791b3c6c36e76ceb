import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import pg from 'pg';

/**
 * The physical limit the API is compared with: a bare node:http server with a pg pool of the
 * service's size, answering the list with the exact SQL the service runs (captured by the bench
 * from the product's own query builder) and doing the milestone UPDATE the write path does.
 */
const captured: { list: { sql: string; params: unknown[] } } = JSON.parse(
  readFileSync(process.env.BASELINE_SQL_FILE!, 'utf8'),
);
const pool = new pg.Pool({
  connectionString: process.env.DATABASE_URL,
  max: Number(process.env.DATABASE_POOL_SIZE ?? 10),
});

function send(response: import('node:http').ServerResponse, status: number, body: unknown): void {
  const json = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(json);
}

const server = createServer((request, response) => {
  const url = request.url ?? '/';
  if (url === '/health/ready') return send(response, 200, { status: 'ok' });
  if (request.method === 'GET' && url.startsWith('/programmes')) {
    pool.query(captured.list.sql, captured.list.params).then(
      ({ rows }) => send(response, 200, { items: rows, total: rows[0]?.total ?? 0 }),
      (error: Error) => send(response, 500, { detail: error.message }),
    );
    return;
  }
  const milestone = /^\/milestones\/([0-9a-f-]{36})$/.exec(url);
  if (request.method === 'PATCH' && milestone) {
    let raw = '';
    request.on('data', (chunk: Buffer) => (raw += chunk));
    request.on('end', () => {
      const body = JSON.parse(raw) as { title: string; version: number };
      pool
        .query(
          `UPDATE milestones SET title = $2, version = version + 1, updated_at = now()
           WHERE id = $1 AND version = $3 RETURNING id, version`,
          [milestone[1], body.title, body.version],
        )
        .then(
          ({ rows }) => (rows[0] ? send(response, 200, rows[0]) : send(response, 409, {})),
          (error: Error) => send(response, 500, { detail: error.message }),
        );
    });
    return;
  }
  send(response, 404, {});
});
server.listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => server.close(() => void pool.end()));
