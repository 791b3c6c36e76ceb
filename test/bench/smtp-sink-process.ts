import { createServer } from 'node:http';
import { SMTPServer } from 'smtp-server';

/**
 * The SMTP sink of the reminders benchmark, in a process of its own so that accepting mail does
 * not share a CPU's event loop with the side being measured. It accepts every message on
 * SMTP_PORT and counts them; HTTP on PORT answers GET /count with
 * { received, unique, bytes } (unique by Message-ID) and POST /reset sets them back to zero.
 */
const smtpPort = Number(process.env.SMTP_PORT);
const httpPort = Number(process.env.PORT);

let received = 0;
let bytes = 0;
const messageIds = new Set<string>();

const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  maxClients: 256,
  onData(stream, _session, callback) {
    let head = '';
    let size = 0;
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      // The headers come first; the Message-ID is among them.
      if (head.length < 8192) head += chunk.toString('utf8');
    });
    stream.on('end', () => {
      received += 1;
      bytes += size;
      const messageId = /^Message-ID:\s*(.+)$/im.exec(head)?.[1]?.trim();
      if (messageId) messageIds.add(messageId);
      callback();
    });
  },
});
// A client that goes away mid-conversation is none of the sink's business.
smtp.on('error', () => undefined);

const http = createServer((request, response) => {
  if (request.method === 'POST' && request.url === '/reset') {
    received = 0;
    bytes = 0;
    messageIds.clear();
  }
  response.writeHead(200, { 'content-type': 'application/json' });
  response.end(JSON.stringify({ received, unique: messageIds.size, bytes }));
});

smtp.listen(smtpPort, '127.0.0.1', () => {
  http.listen(httpPort, '127.0.0.1');
});

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    http.close();
    smtp.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 2_000).unref();
  });
}
