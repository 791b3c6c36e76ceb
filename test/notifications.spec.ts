import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { simpleParser } from 'mailparser';
import { DeliveryProcessor } from '../src/notifications/notification.processors.js';
import { Outbox, type NotificationDraft } from '../src/notifications/outbox.service.js';
import { OutboxWriter } from '../src/notifications/outbox-writer.js';
import { QueueName } from '../src/queues/queue-names.js';
import { type Staff, createStaff } from './factories/users.js';
import { loseQueuedJobs } from './support/lose-queued-jobs.js';
import { recordQueries } from './support/query-counter.js';
import { SmtpSink } from './support/smtp-sink.js';
import { type TestApp, client, controlClock, startTestApp } from './support/test-app.js';
import { waitFor } from './support/wait.js';
import { WebhookReceiver, verifySignature } from './support/webhook-receiver.js';

describe('notifications', () => {
  const sink = new SmtpSink();
  const receiver = new WebhookReceiver();
  let t: TestApp;
  let staff: Staff;
  let sequence = 0;

  beforeAll(async () => {
    await sink.start();
    await receiver.start();
    t = await startTestApp({
      env: {
        PROCESS_ROLE: 'all',
        SMTP_URL: sink.url,
        WEBHOOK_ALLOW_PRIVATE: 'true',
        NOTIFICATION_MAX_ATTEMPTS: '3',
        NOTIFICATION_BACKOFF_MS: '50',
        OUTBOX_RELAY_INTERVAL_MS: '200',
        DELIVERY_CONCURRENCY: '8',
      },
    });
    staff = await createStaff(t.dataSource);
  });
  afterAll(async () => {
    await t.close();
    await sink.stop();
    await receiver.stop();
  });

  const email = (overrides: Partial<NotificationDraft> = {}): NotificationDraft => ({
    kind: 'test',
    channel: 'email',
    dedupeKey: `test:${(sequence += 1)}`,
    recipient: `person${sequence}@example.org`,
    locale: 'en',
    subject: `Subject ${sequence}`,
    bodyText: 'Hello',
    bodyHtml: '<p>Hello</p>',
    notBefore: new Date(Date.now() - 1000),
    countryCode: 'KE',
    ...overrides,
  });
  const add = (drafts: NotificationDraft[]) =>
    t.dataSource.transaction((manager) => t.app.get(OutboxWriter).add(manager, drafts));
  const statusOf = async (dedupeKey: string) =>
    (
      await t.dataSource.query(
        `SELECT id, status, attempts, last_error AS "lastError" FROM notifications WHERE dedupe_key = $1`,
        [dedupeKey],
      )
    )[0];

  it('should write each dedupe key once and deliver the e-mail with a Message-ID from its id', async () => {
    const draft = email();
    expect(await add([draft, { ...draft }])).toBe(1);
    expect(await add([draft])).toBe(0);
    const row = await waitFor('the e-mail to be sent', async () => {
      const current = await statusOf(draft.dedupeKey);
      return current.status === 'sent' && current;
    });
    const mail = sink.received.find((received) => received.to.includes(draft.recipient));
    expect(mail).toMatchObject({ subject: draft.subject, messageId: `<${row.id}@cirt-tracker>` });
    // Composed whole before it is sent: every header and both parts arrive.
    const parsed = await simpleParser(mail!.raw);
    expect(parsed.from?.value[0].address).toBe(/<(.+)>/.exec(t.config.SMTP_FROM)?.[1]);
    expect(parsed.to).toMatchObject({ text: draft.recipient });
    expect(parsed.date).toBeInstanceOf(Date);
    expect(parsed.text?.trim()).toBe(draft.bodyText);
    expect(parsed.html).toBe(draft.bodyHtml);
    expect(sink.received.filter((received) => received.to.includes(draft.recipient))).toHaveLength(
      1,
    );
  });

  it('should hold a notification until its not-before time', async () => {
    const later = email({ notBefore: new Date(Date.now() + 60 * 60_000) });
    await add([later]);
    await waitFor(
      'it to be queued',
      async () => (await statusOf(later.dedupeKey)).status === 'queued',
    );
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect((await statusOf(later.dedupeKey)).status).toBe('queued');
    expect(sink.received.some((received) => received.to.includes(later.recipient))).toBe(false);
  });

  it('should sign webhooks with the secret shown once, retry a failing receiver, then mark it dead, and retry on demand', async () => {
    const admin = client(t, staff.admin);
    const created = await admin('POST', '/api/v1/countries/KE/stakeholders', {
      name: 'Hook',
      email: 'hook@example.org',
      role: 'cirt_lead',
      webhookUrl: receiver.url,
    });
    expect(created.statusCode).toBe(201);
    const { id: stakeholderId, webhookSecret } = created.json();
    expect(webhookSecret).toMatch(/^whsec_/);
    const listed = (await admin('GET', '/api/v1/countries/KE/stakeholders')).json();
    expect(JSON.stringify(listed)).not.toContain(webhookSecret);

    receiver.status = 500;
    const hook = email({
      channel: 'webhook',
      recipient: receiver.url,
      stakeholderId,
      payload: { type: 'test' },
    });
    await add([hook]);
    const dead = await waitFor('the webhook to be dead', async () => {
      const current = await statusOf(hook.dedupeKey);
      return current.status === 'dead' && current;
    });
    expect(dead).toMatchObject({ attempts: 3, lastError: 'HTTP 500' });
    expect(receiver.received.filter((r) => r.id === dead.id)).toHaveLength(3);
    const log = (await admin('GET', '/api/v1/notifications?status=dead&channel=webhook')).json();
    expect(log.items.map((item: { id: string }) => item.id)).toContain(dead.id);

    receiver.status = 200;
    expect((await admin('POST', `/api/v1/notifications/${dead.id}/retry`)).json()).toMatchObject({
      status: 'pending',
    });
    await waitFor(
      'the webhook to be sent',
      async () => (await statusOf(hook.dedupeKey)).status === 'sent',
    );
    const delivered = receiver.received.filter((r) => r.id === dead.id).at(-1)!;
    expect(verifySignature(webhookSecret, delivered)).toBe(true);
    expect(
      verifySignature('whsec_' + Buffer.from('another secret').toString('base64'), delivered),
    ).toBe(false);
    expect(JSON.parse(delivered.body)).toEqual({ type: 'test' });
    expect((await admin('POST', `/api/v1/notifications/${dead.id}/retry`)).statusCode).toBe(422);
  });

  it('should not follow a redirect: the webhook is dead at once', async () => {
    const [stakeholder] = await t.dataSource.query(
      `INSERT INTO stakeholders (country_code, name, email, role, webhook_url, webhook_secret)
       VALUES ('KE', 'Moved', 'moved@example.org', 'donor', $1, 'whsec_c2VjcmV0') RETURNING id`,
      [receiver.url],
    );
    receiver.status = 302;
    const hook = email({
      channel: 'webhook',
      recipient: receiver.url,
      stakeholderId: stakeholder.id,
      payload: { type: 'test' },
    });
    await add([hook]);
    const dead = await waitFor('the webhook to be dead', async () => {
      const current = await statusOf(hook.dedupeKey);
      return current.status === 'dead' && current;
    });
    receiver.status = 200;
    expect(dead).toMatchObject({ attempts: 1, lastError: 'HTTP 302: redirects are not followed' });
  });

  it('should deliver everything when the queue loses its jobs in the middle of delivery', async () => {
    const clock = controlClock(t, new Date().toISOString());
    const drafts = Array.from({ length: 200 }, () => email());
    await add(drafts);
    const sentCount = async () =>
      (
        await t.dataSource.query(
          `SELECT count(*)::int AS n FROM notifications WHERE status = 'sent' AND dedupe_key = ANY($1)`,
          [drafts.map((draft) => draft.dedupeKey)],
        )
      )[0].n as number;
    await waitFor('delivery to be under way', async () => (await sentCount()) >= 20);
    expect(await loseQueuedJobs(t.config, t.dataSource, QueueName.Notifications)).toBeGreaterThan(
      0,
    );
    expect(await sentCount()).toBeLessThan(200);

    // The reconciler's next runs, a few minutes later.
    for (let run = 1; run <= 3 && (await sentCount()) < 200; run += 1) {
      clock.current = new Date(clock.current.getTime() + 5 * 60_000);
      await t.app.get(Outbox).reconcile();
      await waitFor('the re-queued ones', async () => (await sentCount()) === 200, 10_000).catch(
        () => undefined,
      );
    }
    expect(await sentCount()).toBe(200);
    for (const draft of drafts) {
      expect(
        sink.received.filter((r) => r.to.includes(draft.recipient)).length,
      ).toBeGreaterThanOrEqual(1);
    }
  });

  it('should send DELIVERY_CONCURRENCY at once, reading and marking sent the ones in flight together', async () => {
    expect(t.app.get(DeliveryProcessor).worker.concurrency).toBe(8);
    const recorder = recordQueries(t.dataSource);
    const drafts = Array.from({ length: 200 }, () => email());
    await add(drafts);
    const keys = drafts.map((draft) => draft.dedupeKey);
    await waitFor('every e-mail to be sent', async () => {
      const [{ n }] = await t.dataSource.query(
        `SELECT count(*)::int AS n FROM notifications WHERE status = 'sent' AND dedupe_key = ANY($1)`,
        [keys],
      );
      return n === drafts.length;
    });
    const rows: {
      attempts: number;
      sentAt: Date | null;
      response: string;
      error: string | null;
    }[] = await t.dataSource.query(
      `SELECT attempts, sent_at AS "sentAt", provider_response AS response, last_error AS error
         FROM notifications WHERE dedupe_key = ANY($1)`,
      [keys],
    );
    for (const row of rows) {
      expect(row).toMatchObject({ attempts: 1, error: null });
      expect(row.sentAt).toBeInstanceOf(Date);
      expect(row.response).toMatch(/^250/);
    }
    for (const draft of drafts) {
      expect(sink.received.filter((r) => r.to.includes(draft.recipient))).toHaveLength(1);
    }
    // Eight deliveries at a time share their statements: far fewer than one per e-mail.
    const reads = recorder.queries.filter((sql) => /FROM notifications WHERE id = ANY/.test(sql));
    const marks = recorder.queries.filter((sql) => /SET status = 'sent'/.test(sql));
    expect(reads.length).toBeLessThan(drafts.length);
    expect(marks.length).toBeLessThan(drafts.length);
  });

  it('should send a test e-mail at once and answer what the server said', async () => {
    const response = await client(t, staff.itu_pm)('POST', '/api/v1/notifications/test', {
      email: 'probe@example.org',
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ channel: 'email', delivered: true });
    expect(response.json().response).toMatch(/^250/);
    expect(sink.received.some((received) => received.to.includes('probe@example.org'))).toBe(true);
    expect(
      (await client(t, staff.itu_pm)('POST', '/api/v1/notifications/test', {})).statusCode,
    ).toBe(400);
  });
});

describe('the outbox relay', () => {
  let t: TestApp;
  let sequence = 0;

  // No workers: what the relay queues stays in the queue.
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const addPending = async (count: number) => {
    const drafts: NotificationDraft[] = Array.from({ length: count }, () => ({
      kind: 'test',
      channel: 'email',
      dedupeKey: `relay:${(sequence += 1)}`,
      recipient: `person${sequence}@example.org`,
      locale: 'en',
      subject: `Subject ${sequence}`,
      bodyText: 'Hello',
      notBefore: new Date(Date.now() + 60 * 60_000),
    }));
    await t.dataSource.transaction((manager) => t.app.get(OutboxWriter).add(manager, drafts));
  };
  const pending = async () =>
    (
      await t.dataSource.query(
        `SELECT count(*)::int AS n FROM notifications WHERE status = 'pending'`,
      )
    )[0].n as number;
  const delayedJobs = () =>
    t.app.get<Queue>(getQueueToken(QueueName.Notifications)).getDelayedCount();

  it('should move a backlog of thousands to the queue in one tick, a batch at a time', async () => {
    await addPending(2_500);
    expect(await t.app.get(Outbox).relay()).toBe(2_500);
    expect(await pending()).toBe(0);
    expect(await delayedJobs()).toBe(2_500);
    expect(await t.app.get(Outbox).relay()).toBe(0);
  });

  it('should stop after its time budget and leave the rest to the next tick', async () => {
    await addPending(250);
    expect(await t.app.get(Outbox).relay(100, 0)).toBe(100);
    expect(await pending()).toBe(150);
    expect(await t.app.get(Outbox).relay(100)).toBe(150);
    expect(await pending()).toBe(0);
  });
});

describe('webhook safety', () => {
  let t: TestApp;
  let staff: Staff;

  beforeAll(async () => {
    t = await startTestApp({ env: { WEBHOOK_ALLOW_PRIVATE: 'false' } });
    staff = await createStaff(t.dataSource);
  });
  afterAll(() => t.close());

  it.each([
    'http://127.0.0.1:8080/hook',
    'http://10.1.2.3/hook',
    'http://169.254.169.254/latest',
    'http://[::1]/hook',
    'http://[::ffff:127.0.0.1]:8080/hook',
    'http://localhost/hook',
  ])('should refuse %s with 400 when private addresses are not allowed', async (webhookUrl) => {
    const response = await client(t, staff.admin)('POST', '/api/v1/countries/KE/stakeholders', {
      name: 'Internal',
      email: 'internal@example.org',
      role: 'donor',
      webhookUrl,
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors[0].field).toBe('webhookUrl');
  });

  it('should not deliver to 127.0.0.1 written as an IPv4-mapped IPv6 address', async () => {
    const receiver = new WebhookReceiver();
    await receiver.start();
    try {
      const response = await client(t, staff.admin)('POST', '/api/v1/notifications/test', {
        webhookUrl: receiver.url.replace('127.0.0.1', '[::ffff:127.0.0.1]'),
      });
      expect(response.json()).toMatchObject({
        delivered: false,
        response: expect.stringMatching(/private address/),
      });
      expect(receiver.received).toEqual([]);
    } finally {
      await receiver.stop();
    }
  });

  it('should answer a test webhook to a private address with the refusal, without sending', async () => {
    const response = await client(t, staff.admin)('POST', '/api/v1/notifications/test', {
      webhookUrl: 'http://127.0.0.1:9/hook',
    });
    expect(response.json()).toMatchObject({
      channel: 'webhook',
      delivered: false,
      response: expect.stringMatching(/private address/),
    });
  });
});
