import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Redis } from 'ioredis';
import { TooManyRequestsError } from '../common/domain-error.js';
import { AppConfig } from '../config/app-config.js';

/**
 * Counts failed logins per e-mail and per client address in Redis, so the limit holds across
 * every process of the service. A window starts at the first failure and lasts
 * LOGIN_FAILURE_WINDOW_SECONDS; at LOGIN_MAX_FAILURES further attempts answer 429 until it ends.
 */
@Injectable()
export class LoginLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly config: AppConfig,
  ) {}

  async assertAllowed(email: string, ip: string): Promise<void> {
    const keys = this.keys(email, ip);
    const counts = await this.redis.mget(...keys);
    const blocked = keys.filter((_, i) => Number(counts[i] ?? 0) >= this.config.LOGIN_MAX_FAILURES);
    if (blocked.length === 0) return;
    const ttls = await Promise.all(blocked.map((key) => this.redis.ttl(key)));
    throw new TooManyRequestsError(
      'Too many failed sign-ins: wait before trying again',
      Math.max(...ttls, 1),
    );
  }

  async recordFailure(email: string, ip: string): Promise<void> {
    const window = this.config.LOGIN_FAILURE_WINDOW_SECONDS;
    const transaction = this.redis.multi();
    for (const key of this.keys(email, ip)) {
      transaction.incr(key).expire(key, window, 'NX');
    }
    await transaction.exec();
  }

  async reset(email: string): Promise<void> {
    await this.redis.del(this.emailKey(email));
  }

  private keys(email: string, ip: string): [string, string] {
    return [this.emailKey(email), `${this.config.QUEUE_PREFIX}:login-failures:ip:${ip}`];
  }

  private emailKey(email: string): string {
    const digest = createHash('sha256').update(email.trim().toLowerCase()).digest('hex');
    return `${this.config.QUEUE_PREFIX}:login-failures:email:${digest}`;
  }
}
