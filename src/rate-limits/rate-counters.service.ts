import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock.js';
import { type Count, RateLimitsRepository } from './rate-limits.repository.js';

/** Ended windows are kept this long, then deleted when another key starts a window. */
const KEEP_ENDED_MS = 24 * 3_600_000;

/**
 * Fixed-window counters shared by every process of the service, for the sign-in limiter and the
 * per-user route limits: a key's window starts at its first hit and lasts `windowSeconds`.
 */
@Injectable()
export class RateCounters {
  constructor(
    private readonly counters: RateLimitsRepository,
    private readonly clock: Clock,
  ) {}

  async hit(key: string, windowSeconds: number): Promise<Count> {
    const now = this.clock.now();
    const count = await this.counters.hit(key, windowSeconds, now);
    if (count.hits === 1) {
      await this.counters.deleteEndedBefore(new Date(now.getTime() - KEEP_ENDED_MS));
    }
    return count;
  }

  giveBack(key: string): Promise<void> {
    return this.counters.giveBack(key, this.clock.now());
  }

  clear(key: string): Promise<void> {
    return this.counters.clear(key);
  }
}
