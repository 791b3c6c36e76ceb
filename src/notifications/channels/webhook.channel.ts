import { createHmac, randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { Injectable } from '@nestjs/common';
import { Clock } from '../../common/clock.js';
import { AppConfig } from '../../config/app-config.js';
import { HostBusyError, PermanentDeliveryError, TransientDeliveryError } from './delivery-error.js';
import { resolveWebhookAddress } from './safe-address.js';

/** The whole exchange ends within this: the address lookup, connecting, the status, headers and body. */
const DEADLINE_MS = 10_000;
/** Response bytes read at most: the status alone decides the outcome, so the rest goes unread. */
const MAX_RESPONSE_BYTES = 64 * 1024;
/** Deliveries in flight to one host (name and port) in this process. */
const MAX_PER_HOST = 2;
const SECRET_PREFIX = 'whsec_';

/** A signing secret in the Standard Webhooks format: whsec_ and 32 random bytes in base64. */
export function newWebhookSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(32).toString('base64')}`;
}

/** Standard Webhooks: v1, and the HMAC-SHA256 of "id.timestamp.body" in base64. */
export function signWebhook(secret: string, id: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.slice(SECRET_PREFIX.length), 'base64');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

export interface WebhookMessage {
  id: string;
  url: string;
  secret: string;
  payload: unknown;
}

/**
 * POSTs signed JSON. Redirects are not followed, the host must not resolve to a private address
 * (unless WEBHOOK_ALLOW_PRIVATE), and the request goes to the very address that was checked.
 */
@Injectable()
export class WebhookChannel {
  /**
   * Deliveries in flight per host. One to a host that already has MAX_PER_HOST goes back to the
   * queue for a moment (HostBusyError) without spending an attempt: waiting here instead would
   * hold a worker slot all the same. So stakeholders on one slow host, however many, hold at most
   * MAX_PER_HOST of the DELIVERY_CONCURRENCY slots, each for at most DEADLINE_MS, and the other
   * slots go on sending e-mail.
   */
  private readonly inFlight = new Map<string, number>();

  constructor(
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  async send(message: WebhookMessage): Promise<string> {
    const url = webhookUrl(message.url);
    const host = `${url.hostname}:${url.port || (url.protocol === 'https:' ? '443' : '80')}`;
    const running = this.inFlight.get(host) ?? 0;
    if (running >= MAX_PER_HOST) {
      throw new HostBusyError(`${host} already has ${MAX_PER_HOST} webhooks in flight`);
    }
    this.inFlight.set(host, running + 1);
    try {
      return outcome(await this.post(url, message, AbortSignal.timeout(DEADLINE_MS)));
    } finally {
      const left = this.inFlight.get(host)! - 1;
      if (left === 0) this.inFlight.delete(host);
      else this.inFlight.set(host, left);
    }
  }

  /** The receiver's status, or a TransientDeliveryError when none came before the deadline. */
  private async post(url: URL, message: WebhookMessage, deadline: AbortSignal): Promise<number> {
    const { address, family } = await beforeDeadline(
      resolveWebhookAddress(url.hostname, this.config.WEBHOOK_ALLOW_PRIVATE),
      deadline,
    );
    const body = JSON.stringify(message.payload);
    const timestamp = Math.floor(this.clock.now().getTime() / 1000);
    const pinned: LookupFunction = (_host, options, callback) => {
      if ((options as { all?: boolean }).all) {
        (
          callback as unknown as (
            error: null,
            addresses: { address: string; family: number }[],
          ) => void
        )(null, [{ address, family }]);
      } else {
        callback(null, address, family);
      }
    };
    return new Promise<number>((resolve, reject) => {
      let status: number | undefined;
      const request = (url.protocol === 'https:' ? httpsRequest : httpRequest)(
        url,
        {
          method: 'POST',
          lookup: pinned,
          signal: deadline,
          headers: {
            'content-type': 'application/json',
            'user-agent': 'cirt-tracker-webhooks',
            'webhook-id': message.id,
            'webhook-timestamp': String(timestamp),
            'webhook-signature': signWebhook(message.secret, message.id, timestamp, body),
          },
        },
        (response) => {
          status = response.statusCode ?? 0;
          let read = 0;
          response.on('data', (chunk: Buffer) => {
            read += chunk.length;
            if (read >= MAX_RESPONSE_BYTES) response.destroy();
          });
          // A body cut short, by the size cap or the deadline, leaves the status as it came.
          response.on('error', () => undefined);
          response.on('close', () => resolve(status!));
        },
      );
      request.on('error', (error) => {
        if (status !== undefined) resolve(status);
        else reject(deadline.aborted ? timedOut() : new TransientDeliveryError(error.message));
      });
      request.end(body);
    });
  }
}

/** The URL of a webhook; one that cannot be parsed (stored before the check) will never work. */
function webhookUrl(text: string): URL {
  if (!URL.canParse(text)) throw new PermanentDeliveryError(`${text} is not a URL`);
  const url = new URL(text);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new PermanentDeliveryError(`Webhooks go to http or https URLs, not ${url.protocol}`);
  }
  return url;
}

function timedOut(): TransientDeliveryError {
  return new TransientDeliveryError(`No complete answer within ${DEADLINE_MS} ms`);
}

/** Settles as `work` does, or fails as transient if the deadline passes first. */
function beforeDeadline<T>(work: Promise<T>, deadline: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const expire = () => reject(timedOut());
    deadline.addEventListener('abort', expire, { once: true });
    void work.then(resolve, reject).finally(() => deadline.removeEventListener('abort', expire));
  });
}

function outcome(status: number): string {
  if (status >= 200 && status < 300) return `HTTP ${status}`;
  if (status >= 300 && status < 400)
    throw new PermanentDeliveryError(`HTTP ${status}: redirects are not followed`);
  if (status >= 400 && status < 500 && status !== 408 && status !== 429) {
    throw new PermanentDeliveryError(`HTTP ${status}: the receiver refused the message`);
  }
  throw new TransientDeliveryError(`HTTP ${status}`);
}
