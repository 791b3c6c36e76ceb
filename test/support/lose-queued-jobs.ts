import { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '../../src/config/app-config.js';
import { QUEUE_SCHEMA } from '../../src/database/prepare-database.js';
import type { QueueName } from '../../src/queues/queue-names.js';

/**
 * Makes a queue lose every job it holds, as a Redis that restarts empty would: its keys in Redis,
 * or its rows in the database's queue schema when the queues live there. Returns how many keys
 * or rows went.
 */
export async function loseQueuedJobs(
  config: AppConfig,
  dataSource: DataSource,
  queue: QueueName,
): Promise<number> {
  if (config.queueBackend === 'postgres') {
    const [, deleted] = await dataSource.query(`DELETE FROM ${QUEUE_SCHEMA}.job WHERE queue = $1`, [
      queue,
    ]);
    return deleted as number;
  }
  const redis = new Redis(config.REDIS_URL!);
  const keys = await redis.keys(`${config.QUEUE_PREFIX}:${queue}:*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
  return keys.length;
}
