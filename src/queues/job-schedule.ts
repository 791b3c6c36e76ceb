import { getQueueToken } from '@nestjs/bullmq';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type Type } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { AppConfig } from '../config/app-config.js';
import type { JobName, QueueName } from './queue-names.js';

export interface RecurringJob<Q extends QueueName> {
  /** The scheduler's id and the job's name. */
  name: JobName<Q>;
  every?: number;
  pattern?: string;
}

/**
 * A provider that registers a queue's recurring jobs as BullMQ job schedulers, kept in Redis, so
 * there is one schedule across all replicas. Only processes that run workers register them, and
 * they keep trying every 5 s while Redis is away, so a worker that starts before Redis still gets
 * its schedule. They register again each time the connection to Redis is back, since a Redis that
 * restarts may have lost them: without the outbox relay and reconciler ticks, nothing would bring
 * back the work it lost.
 */
export function recurringJobs<Q extends QueueName>(
  queueName: Q,
  jobs: (config: AppConfig) => RecurringJob<Q>[],
): Type<OnApplicationBootstrap> {
  @Injectable()
  class RecurringJobs implements OnApplicationBootstrap {
    private readonly logger = new Logger(`RecurringJobs:${queueName}`);
    private retry?: NodeJS.Timeout;

    constructor(
      @Inject(getQueueToken(queueName)) private readonly queue: Queue,
      private readonly config: AppConfig,
    ) {}

    onApplicationBootstrap(): void {
      if (!this.config.runsWorkers) return;
      this.queue.getBackend().on('ready', () => this.register());
      this.register();
    }

    private register(): void {
      clearTimeout(this.retry);
      const schedule = jobs(this.config).map(({ name, every, pattern }) =>
        this.queue.upsertJobScheduler(name, { every, pattern }, { name }),
      );
      Promise.all(schedule).catch((error: Error) => {
        this.logger.warn(`Could not schedule the ${queueName} jobs yet: ${error.message}`);
        this.retry = setTimeout(() => this.register(), 5_000).unref();
      });
    }
  }
  return RecurringJobs;
}
