import { createHmac, randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { Injectable } from '@nestjs/common';
import { Clock } from '../../common/clock.js';
import { AppConfig } from '../../config/app-config.js';
import { PermanentDeliveryError, TransientDeliveryError } from './delivery-error.js';
import { resolveWebhookAddress } from './safe-address.js';

const TIMEOUT_MS = 10_000;
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
  constructor(
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  async send(message: WebhookMessage): Promise<string> {
    const url = new URL(message.url);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new PermanentDeliveryError(`Webhooks go to http or https URLs, not ${url.protocol}`);
    }
    const { address, family } = await resolveWebhookAddress(
      url.hostname,
      this.config.WEBHOOK_ALLOW_PRIVATE,
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
    const status = await new Promise<number>((resolve, reject) => {
      const request = (url.protocol === 'https:' ? httpsRequest : httpRequest)(
        url,
        {
          method: 'POST',
          lookup: pinned,
          timeout: TIMEOUT_MS,
          headers: {
            'content-type': 'application/json',
            'user-agent': 'cirt-tracker-webhooks',
            'webhook-id': message.id,
            'webhook-timestamp': String(timestamp),
            'webhook-signature': signWebhook(message.secret, message.id, timestamp, body),
          },
        },
        (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        },
      );
      request.on('timeout', () =>
        request.destroy(new TransientDeliveryError(`No answer within ${TIMEOUT_MS} ms`)),
      );
      request.on('error', (error) =>
        reject(
          error instanceof TransientDeliveryError
            ? error
            : new TransientDeliveryError(error.message),
        ),
      );
      request.end(body);
    });

    if (status >= 200 && status < 300) return `HTTP ${status}`;
    if (status >= 300 && status < 400)
      throw new PermanentDeliveryError(`HTTP ${status}: redirects are not followed`);
    if (status >= 400 && status < 500 && status !== 408 && status !== 429) {
      throw new PermanentDeliveryError(`HTTP ${status}: the receiver refused the message`);
    }
    throw new TransientDeliveryError(`HTTP ${status}`);
  }
}
