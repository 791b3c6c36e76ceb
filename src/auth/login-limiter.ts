import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Redis } from 'ioredis';
import { tooManyRequests } from '../common/domain-error.js';
import { AppConfig } from '../config/app-config.js';
import { AuthErrors } from './auth.errors.js';

/**
 * Counts sign-in attempts per e-mail and per client address in Redis, so the limit holds across
 * every process of the service. An attempt is counted before its password is checked, in one
 * atomic step: however many arrive at once, at most LOGIN_MAX_FAILURES of them are ever checked
 * in a window. A window starts at the first attempt and lasts LOGIN_FAILURE_WINDOW_SECONDS; a
 * successful sign-in gives its attempt back.
 */
@Injectable()
export class LoginLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly config: AppConfig,
  ) {}

  /** Counts the attempt; 429 when the e-mail or the address has used up its window. */
  async begin(email: string, ip: string): Promise<void> {
    const keys = this.keys(email, ip);
    const transaction = this.redis.multi();
    for (const key of keys) {
      transaction.incr(key).expire(key, this.config.LOGIN_FAILURE_WINDOW_SECONDS, 'NX');
    }
    const results = (await transaction.exec()) ?? [];
    const counts = [Number(results[0]?.[1]), Number(results[2]?.[1])];
    const blocked = keys.filter((_, i) => counts[i] > this.config.LOGIN_MAX_FAILURES);
    if (blocked.length === 0) return;
    const ttls = await Promise.all(blocked.map((key) => this.redis.ttl(key)));
    throw tooManyRequests(AuthErrors.too_many_sign_ins, {}, Math.max(...ttls, 1));
  }

  /** A successful sign-in clears the e-mail's failures and was no failure of the address. */
  async succeeded(email: string, ip: string): Promise<void> {
    const [emailKey, ipKey] = this.keys(email, ip);
    await this.redis.multi().del(emailKey).decr(ipKey).exec();
  }

  private keys(email: string, ip: string): [string, string] {
    const digest = createHash('sha256').update(email.trim().toLowerCase()).digest('hex');
    const prefix = `${this.config.QUEUE_PREFIX}:login-failures`;
    return [`${prefix}:email:${digest}`, `${prefix}:ip:${ip}`];
  }
}
