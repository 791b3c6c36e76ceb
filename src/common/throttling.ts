import {
  type CallHandler,
  type ExecutionContext,
  Injectable,
  type NestInterceptor,
  SetMetadata,
  UseInterceptors,
  applyDecorators,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { type Observable, from, lastValueFrom } from 'rxjs';
import type { AuthenticatedRequest } from '../auth/actor.decorator.js';
import { AppConfig } from '../config/app-config.js';
import { RateCounters } from '../rate-limits/rate-counters.service.js';
import { CommonErrors } from './common.errors.js';
import { tooManyRequests } from './domain-error.js';

/** The limits a route may take, each counted per user across all replicas. */
const LIMITS = {
  reports: {
    error: CommonErrors.too_many_report_requests,
    per: 'minute',
    limit: (config: AppConfig) => config.REPORT_REQUESTS_PER_MINUTE,
  },
  'api-tokens': {
    error: CommonErrors.too_many_api_tokens,
    per: 'hour',
    limit: (config: AppConfig) => config.API_TOKENS_PER_HOUR,
  },
} as const;
export type RateLimitName = keyof typeof LIMITS;

const WINDOW_SECONDS = { minute: 60, hour: 3_600 } as const;

const RATE_LIMIT = 'cirt:rate-limit';

/**
 * A user's named limit, counted in a fixed window (RateCounters) shared by every replica. The work
 * is counted before it is carried out, so that requests at once cannot overtake the limit, and
 * given back if it fails, bad input included, so only the work done counts.
 */
@Injectable()
export class RateLimits {
  constructor(
    private readonly counters: RateCounters,
    private readonly config: AppConfig,
  ) {}

  /** Over the limit: 429 with the seconds left in the window, and the work is not run. */
  async within<T>(name: RateLimitName, userId: string, work: () => Promise<T>): Promise<T> {
    const { error, per, limit } = LIMITS[name];
    const key = `route:${name}:${userId}`;
    const { hits, secondsLeft } = await this.counters.hit(key, WINDOW_SECONDS[per]);
    if (hits > limit(this.config)) {
      throw tooManyRequests(error, { limit: limit(this.config) }, secondsLeft);
    }
    try {
      return await work();
    } catch (failure) {
      await this.counters.giveBack(key).catch(() => undefined);
      throw failure;
    }
  }
}

/**
 * Holds an API route to its named limit. An interceptor, so it runs after the global AccessGuard
 * has set request.principal, and around the validation pipes and the handler. A limit that holds
 * whoever calls (the API and a page's form) is kept by the service instead, with RateLimits.within.
 *
 * Not @nestjs/throttler: it is CommonJS and requires @nestjs/common, which is ESM-only from
 * NestJS 12, so Jest (on Node 20) cannot load it. Its guard would also run before validation.
 */
@Injectable()
export class RateLimitInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly limits: RateLimits,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const name = this.reflector.get<RateLimitName>(RATE_LIMIT, context.getHandler());
    const { principal } = context.switchToHttp().getRequest<AuthenticatedRequest>();
    if (!principal) throw new Error('RateLimit is for routes with @Roles only');
    return from(
      this.limits.within(name, principal.id, () =>
        lastValueFrom(next.handle(), { defaultValue: undefined }),
      ),
    );
  }
}

/** Limits the route per signed-in user, with the named limit's window and AppConfig's count. */
export const RateLimit = (name: RateLimitName) =>
  applyDecorators(SetMetadata(RATE_LIMIT, name), UseInterceptors(RateLimitInterceptor));
