import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { Queue, Worker } from 'bullmq';
import nodemailer from 'nodemailer';

/**
 * The baseline of the reminders benchmark: a raw BullMQ loop with nothing of the product in it.
 * POST /start adds COUNT jobs with addBulk, then starts a worker of CONCURRENCY that sends each
 * job's e-mail with nodemailer (a pool of SMTP_MAX_CONNECTIONS, as the product's e-mail channel)
 * to SMTP_URL. The e-mails are the product's own rendered reminders (MESSAGES_FILE: a JSON array
 * of { to, subject, text, html }), taken in turn. GET /ready answers once Redis is reached.
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
const messages: Message[] = JSON.parse(readFileSync(env('MESSAGES_FILE'), 'utf8'));
const connection = { url: env('REDIS_URL') };
const prefix = env('QUEUE_PREFIX');
const QUEUE = 'baseline-deliveries';
const CHUNK = 1_000;

const transport = nodemailer.createTransport({
  url: env('SMTP_URL'),
  pool: true,
  maxConnections: Number(process.env.SMTP_MAX_CONNECTIONS ?? 4),
});
const queue = new Queue<{ i: number }>(QUEUE, { connection, prefix });
let worker: Worker<{ i: number }> | undefined;

async function run(): Promise<void> {
  for (let start = 0; start < count; start += CHUNK) {
    await queue.addBulk(
      Array.from({ length: Math.min(CHUNK, count - start) }, (_, k) => ({
        name: 'deliver',
        data: { i: start + k },
        opts: { jobId: `b-${start + k}`, removeOnComplete: true, removeOnFail: true },
      })),
    );
  }
  worker = new Worker<{ i: number }>(
    QUEUE,
    async (job) => {
      const message = messages[job.data.i % messages.length];
      await transport.sendMail({
        from: 'cirt-tracker <no-reply@cirt-tracker.invalid>',
        to: message.to,
        subject: message.subject,
        text: message.text,
        html: message.html ?? undefined,
        messageId: `<${job.id}@cirt-bench>`,
      });
    },
    { connection, prefix, concurrency, lockDuration: 10_000, stalledInterval: 5_000 },
  );
}

let started = false;
const server = createServer((request, response) => {
  if (request.method === 'POST' && request.url === '/start' && !started) {
    started = true;
    run().catch((error: Error) => {
      process.stderr.write(`baseline: ${error.stack}\n`);
      process.exit(1);
    });
    response.writeHead(202).end();
    return;
  }
  if (request.url === '/ready') {
    queue.waitUntilReady().then(
      () => response.writeHead(200).end(),
      () => response.writeHead(503).end(),
    );
    return;
  }
  response.writeHead(404).end();
});
server.listen(Number(env('PORT')), '127.0.0.1');

async function stop(): Promise<void> {
  server.close();
  await worker?.close();
  await queue.obliterate({ force: true }).catch(() => undefined);
  await queue.close();
  transport.close();
  process.exit(0);
}
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => void stop());
