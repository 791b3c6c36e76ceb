import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { type DeliveryJobData, OutboxJob, QueueName } from '../queues/queue-names.js';
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
