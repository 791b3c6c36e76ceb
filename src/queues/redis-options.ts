import type { RedisOptions } from 'ioredis';

/**
 * Options of the queues' Redis clients, when `REDIS_URL` is set.
 *
 * Commands fail at once while Redis is away instead of waiting in memory, so a request that
 * touches a queue answers promptly; the client reconnects for ever, at most every 2 s, so the
 * process recovers by itself when Redis returns. Workers are the exception: their commands wait
 * for Redis instead (see PatientWorker in queues.module.ts).
 */
export const REDIS_CLIENT_OPTIONS = {
  connectTimeout: 5_000,
  enableOfflineQueue: false,
  retryStrategy: (attempt: number) => Math.min(attempt * 200, 2_000),
} satisfies RedisOptions;
