import {
  type CallHandler,
  type ExecutionContext,
  Injectable,
  Logger,
  type NestInterceptor,
  SetMetadata,
  UseInterceptors,
  applyDecorators,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Redis } from 'ioredis';
import { type Observable, catchError } from 'rxjs';
import type { AuthenticatedRequest } from '../auth/actor.decorator.js';
import { AppConfig } from '../config/app-config.js';
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

const WINDOW_MS = { minute: 60_000, hour: 3_600_000 } as const;

const RATE_LIMIT = 'cirt:rate-limit';

/** Counts a request in one atomic step: the window starts at its first request. */
const COUNT = `
  local hits = redis.call('INCR', KEYS[1])
  if hits == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
  return {hits, redis.call('PTTL', KEYS[1])}`;

/** Gives a request back, unless its window has ended meanwhile. */
const GIVE_BACK = `
  if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('DECR', KEYS[1]) end`;

/**
 * Counts the route's requests per signed-in user in a fixed window in Redis, shared by every
 * replica; over the limit, 429 with Retry-After. An interceptor, so it runs after the global
 * AccessGuard has set request.principal, and around the validation pipes and the handler: a
 * request is counted before it is carried out (so that requests at once cannot overtake the
 * limit) and given back if it fails, bad input included, so only the work done counts.
 *
 * Not @nestjs/throttler: it is CommonJS and requires @nestjs/common, which is ESM-only from
 * NestJS 12, so Jest (on Node 20) cannot load it. Its guard would also run before validation.
 *
 * If Redis is away the request goes through: a report asked for meanwhile is still a row in
 * PostgreSQL that the relay queues later, and the limit guards against abuse, not loss.
 */
@Injectable()
export class RateLimitInterceptor implements NestInterceptor {
  private readonly logger = new Logger(RateLimitInterceptor.name);

  constructor(
    private readonly reflector: Reflector,
    private readonly redis: Redis,
    private readonly config: AppConfig,
  ) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const name = this.reflector.get<RateLimitName>(RATE_LIMIT, context.getHandler());
    const { principal } = context.switchToHttp().getRequest<AuthenticatedRequest>();
    if (!principal) throw new Error('RateLimit is for routes with @Roles only');
    const { error, per, limit } = LIMITS[name];
    const key = `${this.config.QUEUE_PREFIX}:rate-limit:${name}:${principal.id}`;
    let counted: [number, number];
    try {
      counted = (await this.redis.eval(COUNT, 1, key, WINDOW_MS[per])) as [number, number];
    } catch (error) {
      this.logger.warn(`${name} not counted for ${principal.id}: ${(error as Error).message}`);
      return next.handle();
    }
    const [hits, msLeft] = counted;
    if (hits > limit(this.config)) {
      throw tooManyRequests(error, { limit: limit(this.config) }, msLeft / 1_000);
    }
    return next.handle().pipe(
      catchError(async (error: unknown) => {
        await this.redis.eval(GIVE_BACK, 1, key).catch(() => undefined);
        throw error;
      }),
    );
  }
}

/** Limits the route per signed-in user, with the named limit's window and AppConfig's count. */
export const RateLimit = (name: RateLimitName) =>
  applyDecorators(SetMetadata(RATE_LIMIT, name), UseInterceptors(RateLimitInterceptor));
