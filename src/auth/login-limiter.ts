import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { tooManyRequests } from '../common/domain-error.js';
import { AppConfig } from '../config/app-config.js';
import { RateCounters } from '../rate-limits/rate-counters.service.js';
import { AuthErrors } from './auth.errors.js';

/**
 * Counts sign-in attempts per e-mail and per client address (RateCounters), so the limit holds across
 * every process of the service. An attempt is counted before its password is checked, in one
 * atomic step: however many arrive at once, at most LOGIN_MAX_FAILURES of them are ever checked
 * in a window. A window starts at the first attempt and lasts LOGIN_FAILURE_WINDOW_SECONDS; a
 * successful sign-in gives its attempt back.
 */
@Injectable()
export class LoginLimiter {
  constructor(
    private readonly counters: RateCounters,
    private readonly config: AppConfig,
  ) {}

  /** Counts the attempt; 429 when the e-mail or the address has used up its window. */
  async begin(email: string, ip: string): Promise<void> {
    const window = this.config.LOGIN_FAILURE_WINDOW_SECONDS;
    const counts = await Promise.all(
      this.keys(email, ip).map((key) => this.counters.hit(key, window)),
    );
    const blocked = counts.filter(({ hits }) => hits > this.config.LOGIN_MAX_FAILURES);
    if (blocked.length === 0) return;
    const secondsLeft = Math.max(...blocked.map((count) => Math.ceil(count.secondsLeft)), 1);
    throw tooManyRequests(AuthErrors.too_many_sign_ins, {}, secondsLeft);
  }

  /** A successful sign-in clears the e-mail's failures and was no failure of the address. */
  async succeeded(email: string, ip: string): Promise<void> {
    const [emailKey, ipKey] = this.keys(email, ip);
    await Promise.all([this.counters.clear(emailKey), this.counters.giveBack(ipKey)]);
  }

  private keys(email: string, ip: string): [string, string] {
    const digest = createHash('sha256').update(email.trim().toLowerCase()).digest('hex');
    return [`sign-in:email:${digest}`, `sign-in:ip:${ip}`];
  }
}
