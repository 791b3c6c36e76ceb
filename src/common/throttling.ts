import {
  ExecutionContext,
  Injectable,
  Logger,
  Module,
  SetMetadata,
  UseGuards,
  applyDecorators,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  ThrottlerGuard,
  type ThrottlerLimitDetail,
  ThrottlerModule,
  type ThrottlerStorage,
} from '@nestjs/throttler';
import { Redis } from 'ioredis';
import type { AuthenticatedRequest } from '../auth/actor.decorator.js';
import { AppConfig } from '../config/app-config.js';
import { TooManyRequestsError } from './domain-error.js';

/** The limits a route may take, each counted per user across all replicas. */
const LIMITS = {
  reports: {
    what: 'report requests',
    per: 'minute',
    limit: (config: AppConfig) => config.REPORT_REQUESTS_PER_MINUTE,
  },
  'api-tokens': {
    what: 'new API tokens',
    per: 'hour',
    limit: (config: AppConfig) => config.API_TOKENS_PER_HOUR,
  },
} as const;
const WINDOW_MS = { minute: 60_000, hour: 3_600_000 } as const;
export type RateLimitName = keyof typeof LIMITS;

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

const RATE_LIMIT = 'cirt:rate-limit';
const reflector = new Reflector();
const limitOf = (context: ExecutionContext) =>
  reflector.get<RateLimitName | undefined>(RATE_LIMIT, context.getHandler());

/**
 * A fixed window per key in Redis, counted in one atomic script, so every replica shares it. A key
 * over its limit stays blocked for the block duration. If Redis is away the request goes through:
 * a report or a token asked for meanwhile is still a row in PostgreSQL, and the limit guards
 * against abuse, not against a lost request.
 */
class RedisThrottlerStorage implements ThrottlerStorage {
  private readonly logger = new Logger(RedisThrottlerStorage.name);

  // KEYS: hits, block. ARGV: ttl ms, limit, block ms. Returns hits, ms left in the window,
  // blocked (0/1), ms left blocked.
  private static readonly SCRIPT = `
    local blocked = redis.call('PTTL', KEYS[2])
    if blocked > 0 then
      return {tonumber(redis.call('GET', KEYS[1]) or '0'), redis.call('PTTL', KEYS[1]), 1, blocked}
    end
    local hits = redis.call('INCR', KEYS[1])
    if hits == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
    local left = redis.call('PTTL', KEYS[1])
    if hits > tonumber(ARGV[2]) then
      redis.call('SET', KEYS[2], '1', 'PX', ARGV[3])
      return {hits, left, 1, tonumber(ARGV[3])}
    end
    return {hits, left, 0, 0}`;

  constructor(private readonly redis: Redis) {}

  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
  ): Promise<ThrottlerStorageRecord> {
    try {
      const [hits, left, blocked, blockLeft] = (await this.redis.eval(
        RedisThrottlerStorage.SCRIPT,
        2,
        `${key}:hits`,
        `${key}:blocked`,
        ttl,
        limit,
        blockDuration,
      )) as [number, number, number, number];
      return {
        totalHits: hits,
        timeToExpire: Math.ceil(Math.max(left, 0) / 1_000),
        isBlocked: blocked === 1,
        timeToBlockExpire: Math.ceil(blockLeft / 1_000),
      };
    } catch (error) {
      this.logger.warn(`Rate limit not counted, Redis is away: ${(error as Error).message}`);
      return { totalHits: 0, timeToExpire: 0, isBlocked: false, timeToBlockExpire: 0 };
    }
  }
}

/**
 * Counts the route's limit for the signed-in user. Used per route (see RateLimit) so that it runs
 * after the global AccessGuard has set request.principal.
 */
@Injectable()
export class UserThrottlerGuard extends ThrottlerGuard {
  protected override async getTracker(request: Record<string, unknown>): Promise<string> {
    const principal = (request as unknown as AuthenticatedRequest).principal;
    if (!principal) throw new Error('UserThrottlerGuard runs on routes with @Roles only');
    return principal.id;
  }

  protected override async throwThrottlingException(
    context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    const { what, per } = LIMITS[limitOf(context)!];
    throw new TooManyRequestsError(
      `Too many ${what}: at most ${detail.limit} per ${per} for each user; try again later`,
      detail.timeToBlockExpire,
    );
  }
}

/** Limits the route per signed-in user, with the named limit's window and AppConfig's count. */
export const RateLimit = (name: RateLimitName) =>
  applyDecorators(SetMetadata(RATE_LIMIT, name), UseGuards(UserThrottlerGuard));

/** The throttler, on the shared Redis client, with one named throttler per limit. */
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [AppConfig, Redis],
      useFactory: (config: AppConfig, redis: Redis) => ({
        storage: new RedisThrottlerStorage(redis),
        setHeaders: false,
        throttlers: (Object.keys(LIMITS) as RateLimitName[]).map((name) => ({
          name,
          ttl: WINDOW_MS[LIMITS[name].per],
          limit: LIMITS[name].limit(config),
          // Each route counts only the limit it names.
          skipIf: (context: ExecutionContext) => limitOf(context) !== name,
        })),
        generateKey: (_context, tracker, name) =>
          `${config.QUEUE_PREFIX}:rate-limit:${name}:${tracker}`,
      }),
    }),
  ],
})
export class ThrottlingModule {}
