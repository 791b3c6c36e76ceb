import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import {
  type ConnectionOptions,
  Queue,
  Worker,
  createPostgresBackend,
  runMigrations,
  setDefaultBackendFactory,
} from 'bullmq';
import nodemailer from 'nodemailer';
import pg from 'pg';

/**
 * The baseline of the reminders benchmark: a raw BullMQ loop with nothing of the product in it.
 * POST /start?round=N adds COUNT jobs to a queue of that round with addBulk, then starts a
 * worker of CONCURRENCY that sends each job's e-mail with nodemailer (a pool of
 * SMTP_MAX_CONNECTIONS, as the product's e-mail channel) to SMTP_URL; POST /finish closes the
 * worker and removes the queue. The e-mails are the product's own rendered reminders
 * (MESSAGES_FILE, read at each start: a JSON array of { to, subject, text, html }), taken in
 * turn. GET /ready answers once the queues are reached: Redis (REDIS_URL), or with QUEUE_DATABASE_URL
 * BullMQ's PostgreSQL backend in that database's schema bullmq, with BullMQ's default pool.
 */
interface Message {
  to: string;
  subject: string;
  text: string;
  html: string | null;
}

const env = (name: string) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};
const count = Number(env('COUNT'));
const concurrency = Number(env('CONCURRENCY'));
const prefix = env('QUEUE_PREFIX');
const QUEUE_SCHEMA = 'bullmq';

async function queueConnection(): Promise<ConnectionOptions> {
  const databaseUrl = process.env.QUEUE_DATABASE_URL;
  if (!databaseUrl) return { url: env('REDIS_URL') };
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  await runMigrations(client, QUEUE_SCHEMA);
  await client.end();
  setDefaultBackendFactory(createPostgresBackend);
  return { connectionString: databaseUrl, schema: QUEUE_SCHEMA } as unknown as ConnectionOptions;
}
const connection = await queueConnection();
const CHUNK = 1_000;

const transport = nodemailer.createTransport({
  url: env('SMTP_URL'),
  pool: true,
  maxConnections: Number(process.env.SMTP_MAX_CONNECTIONS ?? 4),
});
const probe = new Queue('ready', { connection, prefix });
let current: { queue: Queue<{ i: number }>; worker?: Worker<{ i: number }> } | undefined;

async function start(round: number): Promise<void> {
  const messages: Message[] = JSON.parse(readFileSync(env('MESSAGES_FILE'), 'utf8'));
  const name = `deliveries-${round}`;
  const queue = new Queue<{ i: number }>(name, { connection, prefix });
  current = { queue };
  for (let first = 0; first < count; first += CHUNK) {
    await queue.addBulk(
      Array.from({ length: Math.min(CHUNK, count - first) }, (_, k) => ({
        name: 'deliver',
        data: { i: first + k },
        opts: { jobId: `b-${first + k}`, removeOnComplete: true, removeOnFail: true },
      })),
    );
  }
  current.worker = new Worker<{ i: number }>(
    name,
    async (job) => {
      const message = messages[job.data.i % messages.length];
      await transport.sendMail({
        from: 'cirt-tracker <no-reply@cirt-tracker.invalid>',
        to: message.to,
        subject: message.subject,
        text: message.text,
        html: message.html ?? undefined,
        messageId: `<${round}-${job.id}@cirt-bench>`,
      });
    },
    { connection, prefix, concurrency, lockDuration: 10_000, stalledInterval: 5_000 },
  );
}

async function finish(): Promise<void> {
  if (!current) return;
  const { queue, worker } = current;
  current = undefined;
  await worker?.close();
  await queue.obliterate({ force: true });
  await queue.close();
}

const fail = (error: Error) => {
  process.stderr.write(`baseline: ${error.stack}\n`);
  process.exit(1);
};

const server = createServer((request, response) => {
  const url = new URL(request.url ?? '/', 'http://localhost');
  if (request.method === 'POST' && url.pathname === '/start' && !current) {
    start(Number(url.searchParams.get('round') ?? 0)).catch(fail);
    response.writeHead(202).end();
  } else if (request.method === 'POST' && url.pathname === '/finish') {
    finish().then(() => response.writeHead(200).end(), fail);
  } else if (url.pathname === '/ready') {
    probe.waitUntilReady().then(
      () => response.writeHead(200).end(),
      () => response.writeHead(503).end(),
    );
  } else {
    response.writeHead(404).end();
  }
});
server.listen(Number(env('PORT')), '127.0.0.1');

async function stop(): Promise<void> {
  server.close();
  await finish().catch(() => undefined);
  await probe.close();
  transport.close();
  process.exit(0);
}
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => void stop());
