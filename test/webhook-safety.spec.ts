import { once } from 'node:events';
import { type Server as HttpServer, createServer as createHttpServer } from 'node:http';
import { type Server, type Socket, createServer } from 'node:net';
import type { NotificationDraft } from '../src/notifications/outbox.service.js';
import { OutboxWriter } from '../src/notifications/outbox-writer.js';
import { type Staff, createStaff } from './factories/users.js';
import { SmtpSink } from './support/smtp-sink.js';
import { type TestApp, client, startTestApp } from './support/test-app.js';
import { waitFor } from './support/wait.js';

/** isURL takes these, but the WHATWG parser that sends the request cannot read them. */
const UNPARSABLE = [
  'http://[fe80::1%25lo]/x',
  'http://[fe80::1%lo]/x',
  'http://[::1%25eth0]/x',
  'https://[fe80::1%25eth0]:8443/x',
  'http://[::ffff:127.0.0.1%25lo]/x',
  'http://[::1%25]/x',
  'http://user@[fe80::1%251]/x',
];

describe.each(['false', 'true'])(
  'webhook URLs with an IPv6 zone id (WEBHOOK_ALLOW_PRIVATE=%s)',
  (allowPrivate) => {
    let t: TestApp;
    let staff: Staff;
    let existing: string;

    beforeAll(async () => {
      t = await startTestApp({ env: { WEBHOOK_ALLOW_PRIVATE: allowPrivate } });
      staff = await createStaff(t.dataSource);
      existing = (
        await client(t, staff.admin)('POST', '/api/v1/countries/KE/stakeholders', {
          name: 'Existing',
          email: 'existing@example.org',
          role: 'donor',
        })
      ).json().id;
    });
    afterAll(() => t.close());

    const expectRefused = (response: { statusCode: number; headers: object; json(): any }) => {
      expect(response.statusCode).toBe(400);
      expect(response.headers).toMatchObject({
        'content-type': expect.stringMatching(/^application\/problem\+json/),
      });
      expect(response.json()).toMatchObject({
        code: 'validation_failed',
        errors: [{ field: 'webhookUrl', message: 'webhookUrl must be an http or https URL' }],
      });
    };
    const written = async () =>
      (
        await t.dataSource.query(
          `SELECT (SELECT count(*)::int FROM stakeholders WHERE webhook_url IS NOT NULL) AS hooks,
                  (SELECT count(*)::int FROM audit_events) AS audit`,
        )
      )[0];

    it.each(UNPARSABLE)(
      'should refuse %s with 400 when set or tested, and write nothing',
      async (webhookUrl) => {
        const as = client(t, staff.admin);
        const before = await written();
        expectRefused(
          await as('POST', '/api/v1/countries/KE/stakeholders', {
            name: 'Zoned',
            email: 'zoned@example.org',
            role: 'donor',
            webhookUrl,
          }),
        );
        expectRefused(await as('PATCH', `/api/v1/stakeholders/${existing}`, { webhookUrl }));
        expectRefused(await as('POST', '/api/v1/notifications/test', { webhookUrl }));
        expect(await written()).toEqual(before);
      },
    );
  },
);

/** Accepts connections and answers a status line, then one header byte a second, never ending. */
class TricklingReceiver {
  open = 0;
  maxOpen = 0;
  connections = 0;
  readonly lifetimes: number[] = [];
  private readonly sockets = new Set<Socket>();
  private readonly server: Server = createServer((socket) => {
    const opened = Date.now();
    this.sockets.add(socket);
    this.open += 1;
    this.connections += 1;
    this.maxOpen = Math.max(this.maxOpen, this.open);
    socket.on('error', () => undefined);
    socket.resume();
    socket.write('HTTP/1.1 200 OK\r\nX-Slow: ');
    const trickle = setInterval(() => socket.write('a'), 1_000);
    socket.on('close', () => {
      clearInterval(trickle);
      this.sockets.delete(socket);
      this.open -= 1;
      this.lifetimes.push(Date.now() - opened);
    });
  });

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as { port: number }).port}/hooks`;
  }

  async start(): Promise<void> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Answers 200 and a 1 MiB body at once, then holds the connection open without ending it. */
class FloodingReceiver {
  lifetimes: number[] = [];
  private readonly server: HttpServer = createHttpServer((request, response) => {
    const opened = Date.now();
    request.resume();
    response.on('close', () => this.lifetimes.push(Date.now() - opened));
    response.writeHead(200, { 'content-type': 'text/plain' });
    response.write(Buffer.alloc(1024 * 1024, 'x'));
  });

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as { port: number }).port}/hooks`;
  }

  async start(): Promise<void> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

describe('slow and flooding webhook receivers', () => {
  const sink = new SmtpSink();
  const slow = new TricklingReceiver();
  const flood = new FloodingReceiver();
  let t: TestApp;
  let sequence = 0;

  beforeAll(async () => {
    await Promise.all([sink.start(), slow.start(), flood.start()]);
    t = await startTestApp({
      env: {
        PROCESS_ROLE: 'all',
        SMTP_URL: sink.url,
        WEBHOOK_ALLOW_PRIVATE: 'true',
        DELIVERY_CONCURRENCY: '8',
        OUTBOX_RELAY_INTERVAL_MS: '200',
        NOTIFICATION_MAX_ATTEMPTS: '3',
        // A transient failure stays "failed" for the rest of the test instead of being retried.
        NOTIFICATION_BACKOFF_MS: '600000',
      },
    });
  });
  afterAll(async () => {
    // The receivers first: without their deadline, deliveries would otherwise never end.
    await Promise.all([slow.stop(), flood.stop()]);
    await t.close();
    await sink.stop();
  });

  const add = (drafts: NotificationDraft[]) =>
    t.dataSource.transaction((manager) => t.app.get(OutboxWriter).add(manager, drafts));
  const draft = (overrides: Partial<NotificationDraft>): NotificationDraft => ({
    kind: 'test',
    channel: 'email',
    dedupeKey: `slow:${(sequence += 1)}`,
    recipient: `person${sequence}@example.org`,
    locale: 'en',
    subject: `Subject ${sequence}`,
    bodyText: 'Hello',
    notBefore: new Date(Date.now() - 1000),
    countryCode: 'KE',
    ...overrides,
  });
  const webhooks = async (url: string, count: number) => {
    const drafts: NotificationDraft[] = [];
    for (let index = 0; index < count; index += 1) {
      const [stakeholder] = await t.dataSource.query(
        `INSERT INTO stakeholders (country_code, name, email, role, webhook_url, webhook_secret)
         VALUES ('KE', 'Hook', $1, 'donor', $2, 'whsec_c2VjcmV0') RETURNING id`,
        [`hook.${sequence}.${index}@example.org`, url],
      );
      drafts.push(
        draft({ channel: 'webhook', recipient: url, stakeholderId: stakeholder.id, payload: {} }),
      );
    }
    await add(drafts);
    return drafts.map((one) => one.dedupeKey);
  };
  const rows = async (keys: string[]) =>
    (await t.dataSource.query(
      `SELECT status, attempts, last_error AS "lastError", provider_response AS response
       FROM notifications WHERE dedupe_key = ANY($1) ORDER BY last_error`,
      [keys],
    )) as { status: string; attempts: number; lastError: string | null; response: string }[];

  it('should hold at most 2 deliveries to one slow host, end each within 10 s, and go on sending e-mail', async () => {
    const keys = await webhooks(slow.url, 8);
    await waitFor('the host to get its two deliveries', () => slow.open === 2);

    const mail = draft({});
    const mailQueued = Date.now();
    await add([mail]);
    await waitFor(
      'the e-mail to be sent while the slow receiver holds its deliveries',
      () => sink.received.some((received) => received.to.includes(mail.recipient)),
      5_000,
    );
    expect(Date.now() - mailQueued).toBeLessThan(5_000);

    // Eight at once would take every delivery slot; the six over the host's two wait their turn
    // without spending an attempt.
    expect(slow.open).toBe(2);
    // Two in flight and six waiting: none has spent an attempt or recorded an error.
    for (const row of await rows(keys)) {
      expect(row).toMatchObject({ status: 'queued', attempts: 0, lastError: null });
    }

    const firstTwo = await waitFor(
      'the first two deliveries to end at their deadline',
      async () => {
        const ended = (await rows(keys)).filter((row) => row.attempts === 1);
        return ended.length === 2 && ended;
      },
      15_000,
    );
    expect(slow.lifetimes).toHaveLength(2);
    for (const lifetime of slow.lifetimes) {
      expect(lifetime).toBeGreaterThanOrEqual(9_500);
      expect(lifetime).toBeLessThan(11_000);
    }
    for (const row of firstTwo) {
      expect(row).toMatchObject({
        status: 'failed',
        lastError: expect.stringMatching(/No complete answer within 10000 ms/),
      });
    }
    // Then two of the waiting ones get the host, and never more than two at once.
    await waitFor('the next two deliveries to start', () => slow.connections === 4, 5_000);
    expect(slow.open).toBe(2);
    expect(slow.maxOpen).toBe(2);
  }, 40_000);

  it('should read at most 64 KiB of an answer, then hang up and decide by its status', async () => {
    const [key] = await webhooks(flood.url, 1);
    const sent = await waitFor('the webhook to be sent', async () => {
      const [row] = await rows([key]);
      return row.status === 'sent' && row;
    });
    expect(sent).toMatchObject({ attempts: 1, response: 'HTTP 200' });
    // Hung up by the cap, long before the deadline: the receiver still had the connection open.
    await waitFor('the connection to be closed', () => flood.lifetimes.length === 1, 3_000);
    expect(flood.lifetimes[0]).toBeLessThan(3_000);
  });

  it('should give up at once on a stored URL that cannot be parsed, set before the check', async () => {
    const [key] = await webhooks('http://[fe80::1%25lo]/x', 1);
    const dead = await waitFor('the webhook to be dead', async () => {
      const [row] = await rows([key]);
      return row.status === 'dead' && row;
    });
    expect(dead).toMatchObject({
      attempts: 1,
      lastError: 'http://[fe80::1%25lo]/x is not a URL',
    });
  });
});
