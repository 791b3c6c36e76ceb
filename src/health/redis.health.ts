import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { Redis } from 'ioredis';
import { AppConfig } from '../config/app-config.js';
import { REDIS_CLIENT_OPTIONS } from '../queues/redis-connection.js';

@Injectable()
export class RedisHealthIndicator implements OnApplicationShutdown {
  private readonly client: Redis;

  constructor(
    config: AppConfig,
    private readonly health: HealthIndicatorService,
  ) {
    this.client = new Redis(config.REDIS_URL, { ...REDIS_CLIENT_OPTIONS, lazyConnect: true });
    // Errors are reported by the check; without a listener ioredis would print each retry.
    this.client.on('error', () => undefined);
  }

  ping(key: string, timeoutMs: number) {
    return this.health
      .check(key)
      .attempt(async () => {
        if (this.client.status === 'wait') await this.client.connect();
        await this.client.ping();
      })
      .withTimeout(timeoutMs);
  }

  async onApplicationShutdown(): Promise<void> {
    this.client.disconnect();
  }
}
