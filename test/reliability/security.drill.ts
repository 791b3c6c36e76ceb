import { lookup } from 'node:dns/promises';
import { once } from 'node:events';
import { type Server, createServer } from 'node:http';
import { hostname } from 'node:os';
import type { NotificationDraft } from '../../src/notifications/outbox.service.js';
import { OutboxWriter } from '../../src/notifications/outbox-writer.js';
import { type Staff, createStaff } from '../factories/users.js';
import {
  CALLERS,
  accessFixtures,
  accessMismatches,
  accessTable,
  routeRecorder,
  undeclaredAccessRules,
} from '../support/access-table.js';
import { type TestApp, client, startTestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';
import { report } from './drill-kit.js';

// SQL-injection strings in every filter and search parameter are probed by bad-input.drill.ts,
// with the other malformed values, so this drill leaves them out.

/** Deliveries in these drills retry fast and give up soon, so a probe ends in seconds. */
const DELIVERY_ENV = {
  PROCESS_ROLE: 'all',
  OUTBOX_RELAY_INTERVAL_MS: '200',
  NOTIFICATION_BACKOFF_MS: '50',
  NOTIFICATION_MAX_ATTEMPTS: '3',
};

/**
 * Webhook URLs that reach this host or a private network however they are written. Each names
 * the private target's port, so that anything let through would land where the drill counts it.
 */
async function privateUrls(port: number): Promise<string[]> {
  const urls = [
    `http://localhost:${port}/hooks`,
    `http://LOCALHOST:${port}/hooks`,
    `http://[::ffff:127.0.0.1]:${port}/hooks`,
    `http://[::ffff:7f00:1]:${port}/hooks`,
    `http://[::1]:${port}/hooks`,
    `http://2130706433:${port}/hooks`,
    `http://0x7f000001:${port}/hooks`,
    `http://0177.0.0.1:${port}/hooks`,
    `http://127.1:${port}/hooks`,
    `http://0.0.0.0:${port}/hooks`,
    `http://0:${port}/hooks`,
    'http://169.254.169.254/latest/meta-data/',
    'http://[::ffff:169.254.169.254]/latest/meta-data/',
    'http://10.0.0.1/hooks',
    'http://172.16.0.1/hooks',
    'http://192.168.1.1/hooks',
    'http://100.64.0.1/hooks',
    'http://[fd00::1]/hooks',
    'http://[fe80::1]/hooks',
  ];
  // A name other than localhost that resolves to this host here (often the machine's own name,
  // through /etc/hosts): the drill cannot add one of its own without touching the shared machine.
  const own = await lookup(hostname()).catch(() => null);
  if (own && /^(127\.|::1$)/.test(own.address)) urls.push(`http://${hostname()}:${port}/hooks`);
  return urls;
}

/** Answers every request with the redirect its path names (/307...) to the next of `locations`. */
class Redirector {
  hits = 0;
  private readonly server: Server;

  constructor(locations: string[]) {
    this.server = createServer((request, response) => {
      const location = locations[this.hits % locations.length];
      this.hits += 1;
      request.resume();
      response.writeHead(Number(request.url!.split('/')[1]), { location }).end();
    });
  }

  url(status: number): string {
    return `http://127.0.0.1:${(this.server.address() as { port: number }).port}/${status}`;
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

/** A webhook notification due now, as the reminder scan writes one for a stakeholder. */
function webhookDraft(dedupeKey: string, url: string, stakeholderId: string): NotificationDraft {
  return {
    kind: 'test',
    channel: 'webhook',
    dedupeKey,
    recipient: url,
    locale: 'en',
    subject: 'Probe',
    bodyText: 'Probe',
    payload: { type: 'probe' },
    notBefore: new Date(Date.now() - 1000),
    countryCode: 'KE',
    stakeholderId,
  };
}

async function addToOutbox(t: TestApp, drafts: NotificationDraft[]): Promise<void> {
  await t.dataSource.transaction((manager) => t.app.get(OutboxWriter).add(manager, drafts));
}

/**
 * Webhook notifications for `urls`, each to a stakeholder of Kenya who holds that URL: written
 * straight into the table, past the check that refuses them when set through the API.
 */
async function queueWebhooks(t: TestApp, label: string, urls: string[]): Promise<string[]> {
  const drafts: NotificationDraft[] = [];
  for (const [index, url] of urls.entries()) {
    const [stakeholder] = await t.dataSource.query(
      `INSERT INTO stakeholders (country_code, name, email, role, webhook_url, webhook_secret)
       VALUES ('KE', 'Probe', $1, 'donor', $2, 'whsec_c2VjcmV0') RETURNING id`,
      [`${label}.${index}@example.org`, url],
    );
    drafts.push(webhookDraft(`${label}:${index}`, url, stakeholder.id));
  }
  await addToOutbox(t, drafts);
  return drafts.map((draft) => draft.dedupeKey);
}

/** Waits until no webhook of `dedupeKeys` is still on its way; answers their final rows. */
async function settled(t: TestApp, dedupeKeys: string[]) {
  return waitFor('the probes to be delivered or dead', async () => {
    const rows: { dedupeKey: string; status: string; attempts: number; lastError: string }[] =
      await t.dataSource.query(
        `SELECT dedupe_key AS "dedupeKey", status, attempts, last_error AS "lastError"
         FROM notifications WHERE dedupe_key = ANY($1)`,
        [dedupeKeys],
      );
    return rows.every((row) => row.status === 'sent' || row.status === 'dead') && rows;
  });
}

describe('security probes', () => {
  it('should hold every registered route to the access table', async () => {
    const recorder = routeRecorder();
    const t = await startTestApp({ onRoute: recorder.onRoute });
    try {
      const staff = await createStaff(t.dataSource);
      const table = accessTable(t, staff, await accessFixtures(t, staff));
      const listed = Object.keys(table);
      const unlisted = [...recorder.routes].filter((route) => !listed.includes(route));
      const stale = listed.filter((route) => !recorder.routes.has(route));
      const undeclared = undeclaredAccessRules(t.app);
      const mismatches = await accessMismatches(t, staff, table);
      const cases = Object.values(table).flat().length;
      report({
        drill: 'Security: route-table authorisation',
        inputs: cases * CALLERS.length,
        failures: unlisted.length + stale.length + undeclared.length + mismatches.length,
        figures: `${recorder.routes.size} routes registered, ${unlisted.length} not in the table, ${stale.length} listed but gone, ${undeclared.length} without a rule; ${cases} cases x ${CALLERS.length} callers, ${mismatches.length} statuses off the table`,
      });
      expect({ unlisted, stale, undeclared, mismatches }).toEqual({
        unlisted: [],
        stale: [],
        undeclared: [],
        mismatches: [],
      });
    } finally {
      await t.close();
    }
  });

  describe('webhooks to private addresses', () => {
    const target = new WebhookReceiver();
    let t: TestApp;
    let staff: Staff;
    let urls: string[];

    beforeAll(async () => {
      await target.start();
      urls = await privateUrls(Number(new URL(target.url).port));
      t = await startTestApp({ env: { ...DELIVERY_ENV, WEBHOOK_ALLOW_PRIVATE: 'false' } });
      staff = await createStaff(t.dataSource);
    });
    afterAll(async () => {
      await t.close();
      await target.stop();
    });

    it('should refuse them with 400 when set, store nothing, and send no test message', async () => {
      const as = client(t, staff.admin);
      const existing = (
        await as('POST', '/api/v1/countries/KE/stakeholders', {
          name: 'Existing',
          email: 'existing@example.org',
          role: 'donor',
        })
      ).json().id as string;
      const accepted: string[] = [];
      for (const [index, webhookUrl] of urls.entries()) {
        const created = await as('POST', '/api/v1/countries/KE/stakeholders', {
          name: 'Internal',
          email: `internal.${index}@example.org`,
          role: 'donor',
          webhookUrl,
        });
        if (created.statusCode !== 400)
          accepted.push(`create ${webhookUrl}: ${created.statusCode}`);
        const updated = await as('PATCH', `/api/v1/stakeholders/${existing}`, { webhookUrl });
        if (updated.statusCode !== 400)
          accepted.push(`update ${webhookUrl}: ${updated.statusCode}`);
        // The DTO refuses some spellings (2130706433) with 400; the others reach the channel.
        const test = await as('POST', '/api/v1/notifications/test', { webhookUrl });
        const refused =
          test.statusCode === 400 ||
          (test.statusCode === 200 &&
            test.json().delivered === false &&
            /private address/.test(test.json().response));
        if (!refused) accepted.push(`test ${webhookUrl}: ${test.statusCode} ${test.body}`);
      }
      const [{ stored }] = await t.dataSource.query(
        `SELECT count(*)::int AS stored FROM stakeholders WHERE webhook_url IS NOT NULL`,
      );
      report({
        drill: 'Security: private webhook URLs when set',
        inputs: urls.length * 3,
        failures: accepted.length + stored + target.received.length,
        figures: `${urls.length} URLs x (create, update, test message): ${accepted.length} let through, ${stored} stored, ${target.received.length} requests reached the private target`,
      });
      expect({ accepted, stored, reached: target.received.length }).toEqual({
        accepted: [],
        stored: 0,
        reached: 0,
      });
    });

    it('should refuse them again at delivery, as when a name resolves elsewhere after it was set', async () => {
      const reachedBefore = target.received.length;
      const keys = await queueWebhooks(t, 'private', urls);
      const rows = await settled(t, keys);
      const reached = target.received.length - reachedBefore;
      const wrong = rows.filter(
        (row) =>
          row.status !== 'dead' || row.attempts !== 1 || !/private address/.test(row.lastError),
      );
      report({
        drill: 'Security: private webhook URLs at delivery',
        inputs: keys.length,
        failures: wrong.length + reached,
        figures: `${keys.length} stored URLs: ${rows.length - wrong.length} dead at the first attempt as private, ${reached} requests reached the private target`,
      });
      expect({ wrong, reached }).toEqual({ wrong: [], reached: 0 });
    });
  });

  describe('webhooks that answer with a redirect to a private address', () => {
    const STATUSES = [301, 302, 303, 307, 308];
    const target = new WebhookReceiver();
    let redirector: Redirector;
    let t: TestApp;
    let staff: Staff;

    beforeAll(async () => {
      await target.start();
      const port = new URL(target.url).port;
      redirector = new Redirector([
        target.url,
        `http://localhost:${port}/hooks`,
        `http://[::ffff:127.0.0.1]:${port}/hooks`,
        `http://2130706433:${port}/hooks`,
      ]);
      await redirector.start();
      // The redirecting server is on loopback too, so private addresses must be allowed for it to
      // be set at all, as in the main suite's webhook tests. That makes the probe stricter: with
      // the address check out of the way, only a delivery that never follows a redirect keeps
      // the private target silent.
      t = await startTestApp({ env: { ...DELIVERY_ENV, WEBHOOK_ALLOW_PRIVATE: 'true' } });
      staff = await createStaff(t.dataSource);
    });
    afterAll(async () => {
      await t.close();
      await redirector.stop();
      await target.stop();
    });

    it('should not follow the redirect, from the outbox or from a test message', async () => {
      const as = client(t, staff.admin);
      const failures: string[] = [];
      const keys: string[] = [];
      for (const status of STATUSES) {
        // The service cannot know that a URL redirects without calling it, which it must not
        // do when the URL is set: that would be a request to an unchecked address of its own.
        const created = await as('POST', '/api/v1/countries/KE/stakeholders', {
          name: 'Redirecting',
          email: `redirect.${status}@example.org`,
          role: 'donor',
          webhookUrl: redirector.url(status),
        });
        if (created.statusCode !== 201) failures.push(`create ${status}: ${created.statusCode}`);
        keys.push(`redirect:${status}`);
        await addToOutbox(t, [
          webhookDraft(keys.at(-1)!, redirector.url(status), created.json().id),
        ]);
        const test = (
          await as('POST', '/api/v1/notifications/test', { webhookUrl: redirector.url(status) })
        ).json();
        if (
          test.delivered !== false ||
          test.response !== `HTTP ${status}: redirects are not followed`
        ) {
          failures.push(`test message ${status}: ${JSON.stringify(test)}`);
        }
      }
      const rows = await settled(t, keys);
      for (const row of rows) {
        const status = row.dedupeKey.split(':')[1];
        if (
          row.status !== 'dead' ||
          row.attempts !== 1 ||
          row.lastError !== `HTTP ${status}: redirects are not followed`
        ) {
          failures.push(`outbox ${status}: ${row.status} after ${row.attempts}, ${row.lastError}`);
        }
      }
      // A request that followed a redirect late would still be on its way: give it a moment.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      report({
        drill: 'Security: webhook redirects to private hosts',
        inputs: STATUSES.length * 2,
        failures: failures.length + target.received.length,
        figures: `${STATUSES.join('/')} x (outbox, test message): ${redirector.hits} redirects answered, ${target.received.length} requests reached the private target, ${failures.length} other failures`,
      });
      expect({ failures, hits: redirector.hits, reached: target.received.length }).toEqual({
        failures: [],
        hits: STATUSES.length * 2,
        reached: 0,
      });
    });
  });
});
