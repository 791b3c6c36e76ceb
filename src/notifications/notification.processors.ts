import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { Job, Queue } from 'bullmq';
import { AppConfig } from '../config/app-config.js';
import { type DeliveryJobData, OutboxJob, QueueName } from '../queues/queue-names.js';
import { scheduleWhenRedisAnswers } from '../queues/job-schedule.js';
import { DeliveryService } from './delivery.service.js';
import { Outbox } from './outbox.service.js';

/**
 * Sends notifications, one at a time per worker process: a worker that dies between a server's
 * acceptance and the row's update repeats at most that one message. Scale out with more worker
 * processes. A short lock means a job left by a crashed worker is taken up again within seconds.
 */
@Processor(QueueName.Notifications, {
  concurrency: 1,
  runRetryDelay: 2_000,
  lockDuration: 10_000,
  stalledInterval: 5_000,
})
export class DeliveryProcessor extends WorkerHost {
  constructor(private readonly delivery: DeliveryService) {
    super();
  }

  async process(job: Job<DeliveryJobData>): Promise<void> {
    await this.delivery.deliver(
      job.data.notificationId,
      job.attemptsMade + 1,
      job.opts.attempts ?? 1,
    );
  }
}

/** The outbox's recurring ticks. */
@Processor(QueueName.Outbox, { runRetryDelay: 2_000 })
export class OutboxProcessor extends WorkerHost {
  constructor(private readonly outbox: Outbox) {
    super();
  }

  async process(job: Job): Promise<number> {
    return job.name === OutboxJob.Reconcile ? this.outbox.reconcile() : this.outbox.relay();
  }
}

/** One schedule for the ticks across all replicas: BullMQ job schedulers are kept in Redis. */
@Injectable()
export class OutboxSchedule implements OnApplicationBootstrap {
  private readonly logger = new Logger(OutboxSchedule.name);

  constructor(
    @InjectQueue(QueueName.Outbox) private readonly queue: Queue,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.runsWorkers) return;
    scheduleWhenRedisAnswers(this.logger, 'the outbox ticks', async () => {
      await this.queue.upsertJobScheduler(
        OutboxJob.Relay,
        { every: this.config.OUTBOX_RELAY_INTERVAL_MS },
        { name: OutboxJob.Relay },
      );
      await this.queue.upsertJobScheduler(
        OutboxJob.Reconcile,
        { every: 60_000 },
        { name: OutboxJob.Reconcile },
      );
    });
  }
}
