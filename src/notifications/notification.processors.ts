import { Processor, WorkerHost } from '@nestjs/bullmq';
import { DelayedError } from 'bullmq';
import { HostBusyError } from './channels/delivery-error.js';
import { unknownJob } from '../queues/job-errors.js';
import {
  DeliveryJob,
  type NamedJob,
  OutboxJob,
  QueueName,
  type QueueJob,
} from '../queues/queue-names.js';
import { DeliveryService } from './delivery.service.js';
import { Outbox } from './outbox.service.js';

/**
 * The delivery worker's options; its concurrency, DELIVERY_CONCURRENCY, is a setting, which the
 * queues module gives the worker when it makes it (workerSettings in queues.module.ts). A short
 * lock means a job left by a crashed worker is taken up again within seconds.
 */
const DELIVERY_WORKER = {
  runRetryDelay: 2_000,
  lockDuration: 10_000,
  stalledInterval: 5_000,
} as const;

const HOST_BUSY_DELAY_MS = 1_000;

/**
 * Sends notifications, DELIVERY_CONCURRENCY at a time per worker process. A message is marked
 * sent right after the server accepts it, so a worker that dies repeats only the messages it had
 * in flight, between a server's acceptance and the row's update: at most DELIVERY_CONCURRENCY
 * messages per crash, each of them once. Scale out with more worker processes.
 */
@Processor(QueueName.Notifications, DELIVERY_WORKER)
export class DeliveryProcessor extends WorkerHost {
  constructor(private readonly delivery: DeliveryService) {
    super();
  }

  process(job: QueueJob<QueueName.Notifications>, token?: string): Promise<void> {
    const { name } = job;
    switch (name) {
      case DeliveryJob.Deliver:
        return this.deliver(job, token);
      default:
        return unknownJob(name);
    }
  }

  private async deliver(
    job: NamedJob<QueueName.Notifications, DeliveryJob.Deliver>,
    token?: string,
  ): Promise<void> {
    try {
      await this.delivery.deliver(
        job.data.notificationId,
        job.attemptsMade + 1,
        job.opts.attempts ?? 1,
      );
    } catch (error) {
      if (!(error instanceof HostBusyError)) throw error;
      // Back in a second or two, with its attempts untouched; the jitter spreads the waiting ones.
      // A whole millisecond: the PostgreSQL queue backend keeps it in a bigint and fails the job
      // on a fraction, which Redis took.
      const jitter = Math.round(Math.random() * 1_000);
      await job.moveToDelayed(Date.now() + HOST_BUSY_DELAY_MS + jitter, token);
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

  process(job: QueueJob<QueueName.Outbox>): Promise<number> {
    const { name } = job;
    switch (name) {
      case OutboxJob.Relay:
        return this.outbox.relay();
      case OutboxJob.Reconcile:
        return this.outbox.reconcile();
      default:
        return unknownJob(name);
    }
  }
}
