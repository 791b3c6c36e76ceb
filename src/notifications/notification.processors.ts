import { Processor, WorkerHost } from '@nestjs/bullmq';
import { DelayedError, type Job } from 'bullmq';
import { HostBusyError } from './channels/delivery-error.js';
import { AppConfig } from '../config/app-config.js';
import { type DeliveryJobData, OutboxJob, QueueName } from '../queues/queue-names.js';
import { DeliveryService } from './delivery.service.js';
import { Outbox } from './outbox.service.js';

/**
 * The delivery worker's options. Its concurrency is DELIVERY_CONCURRENCY, set when the processor
 * is made, before any worker starts. A short lock means a job left by a crashed worker is taken
 * up again within seconds.
 */
const DELIVERY_WORKER = {
  concurrency: 1,
  runRetryDelay: 2_000,
  lockDuration: 10_000,
  stalledInterval: 5_000,
};

const HOST_BUSY_DELAY_MS = 1_000;

/**
 * Sends notifications, DELIVERY_CONCURRENCY at a time per worker process. A message is marked
 * sent right after the server accepts it, so a worker that dies repeats only the messages it had
 * in flight, between a server's acceptance and the row's update: at most DELIVERY_CONCURRENCY
 * messages per crash, each of them once. Scale out with more worker processes.
 */
@Processor(QueueName.Notifications, DELIVERY_WORKER)
export class DeliveryProcessor extends WorkerHost {
  constructor(
    private readonly delivery: DeliveryService,
    config: AppConfig,
  ) {
    super();
    DELIVERY_WORKER.concurrency = config.DELIVERY_CONCURRENCY;
  }

  async process(job: Job<DeliveryJobData>, token?: string): Promise<void> {
    try {
      await this.delivery.deliver(
        job.data.notificationId,
        job.attemptsMade + 1,
        job.opts.attempts ?? 1,
      );
    } catch (error) {
      if (!(error instanceof HostBusyError)) throw error;
      // Back in a second or two, with its attempts untouched; the jitter spreads the waiting ones.
      await job.moveToDelayed(Date.now() + HOST_BUSY_DELAY_MS + Math.random() * 1_000, token);
      throw new DelayedError();
    }
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
