import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import type { Queue } from 'bullmq';
import { AppConfig } from '../config/app-config.js';
import { QueueName } from '../queues/queue-names.js';

/** Whether the queues answer, asked through a queue itself, on Redis or in PostgreSQL alike. */
@Injectable()
export class QueueHealthIndicator {
  constructor(
    @InjectQueue(QueueName.Outbox) private readonly queue: Queue,
    private readonly health: HealthIndicatorService,
    private readonly config: AppConfig,
  ) {}

  check(key: string, timeoutMs: number) {
    return this.health
      .check(key)
      .attempt(async () => {
        await this.queue.getJobCounts('waiting');
        return { backend: this.config.queueBackend };
      })
      .withTimeout(timeoutMs);
  }
}
