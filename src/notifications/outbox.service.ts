import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock.js';
import { lostJobs } from '../queues/lost-jobs.js';
import { DeliveryJob, QueueName, type TypedQueue, jobOf } from '../queues/queue-names.js';
import { NotificationsRepository } from './notifications.repository.js';

export interface NotificationDraft {
  kind: string;
  channel: 'email' | 'webhook';
  dedupeKey: string;
  recipient: string;
  locale: string;
  subject: string;
  bodyText: string;
  bodyHtml?: string | null;
  payload?: object | null;
  notBefore: Date;
  programmeId?: string | null;
  countryCode?: string | null;
  stakeholderId?: string | null;
  /** Attaches this report's files when the e-mail is sent. */
  reportId?: string | null;
}

/** Seconds a queued notification may wait for its job before the reconciler checks on it. */
const RECONCILE_AFTER_SECONDS = 60;

/**
 * The notifications outbox. Rows are written with the change that causes them; the relay moves
 * pending rows into the delivery queue (jobId = row id, delayed until their not-before time);
 * the reconciler puts back to pending what Redis no longer holds.
 */
@Injectable()
export class Outbox {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly notifications: NotificationsRepository,
    @InjectQueue(QueueName.Notifications)
    private readonly deliveries: TypedQueue<QueueName.Notifications>,
    private readonly clock: Clock,
  ) {}

  /**
   * Moves pending rows to the delivery queue, a batch at a time, until none is left or the tick
   * has taken `budgetMs`: a scan's burst of thousands of reminders leaves in one tick instead of
   * a batch per tick. Answers how many moved.
   */
  async relay(batchSize = 1000, budgetMs = 5_000): Promise<number> {
    const started = Date.now();
    let total = 0;
    for (;;) {
      const moved = await this.relayBatch(batchSize);
      total += moved;
      if (moved < batchSize || Date.now() - started >= budgetMs) return total;
    }
  }

  private async relayBatch(limit: number): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const now = this.clock.now();
      const moved = await this.notifications.markPendingQueued(limit, now, manager);
      // Inside the transaction: if Redis refuses, the rows stay pending for the next tick.
      if (moved.length > 0) {
        await this.deliveries.addBulk(
          moved.map((row) =>
            jobOf(
              QueueName.Notifications,
              DeliveryJob.Deliver,
              { notificationId: row.id },
              {
                jobId: row.id,
                delay: Math.max(0, new Date(row.notBefore).getTime() - now.getTime()),
              },
            ),
          ),
        );
      }
      return moved.length;
    });
  }

  async reconcile(limit = 1000): Promise<number> {
    const waiting = await this.notifications.queuedLongerThan(
      this.clock.now(),
      RECONCILE_AFTER_SECONDS,
      limit,
    );
    const lost = await lostJobs(
      this.deliveries,
      waiting.map(({ id }) => id),
    );
    if (lost.length > 0) {
      await this.notifications.requeue(lost, this.clock.now());
    }
    return lost.length;
  }
}
