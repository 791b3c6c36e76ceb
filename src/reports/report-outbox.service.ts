import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock.js';
import { lostJobs } from '../queues/lost-jobs.js';
import { QueueName, ReportJob, type TypedQueue, jobOf } from '../queues/queue-names.js';
import { ReportsRepository } from './reports.repository.js';

/** Reports the relay tick moves at most. */
const RELAY_BATCH = 100;

/** Seconds a queued or running report may go on its job before the reconciler checks on it. */
const RECONCILE_AFTER_SECONDS = 60;

/**
 * The reports outbox, the same pattern as the notifications' (notifications/outbox.service.ts).
 * A queued report's row is written with its request (or its schedule's run); its compile job
 * (jobId = report id) is added after the commit and the row stamped (`queued_at`); the relay
 * tick does both for the rows that missed it (Redis away); the reconcile tick puts back to the
 * relay the queued or running reports whose job Redis no longer holds, so that a report never
 * stays running for ever.
 */
@Injectable()
export class ReportOutbox {
  private readonly logger = new Logger(ReportOutbox.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectQueue(QueueName.Reports) private readonly queue: TypedQueue<QueueName.Reports>,
    private readonly reports: ReportsRepository,
    private readonly clock: Clock,
  ) {}

  /**
   * After the commit that wrote the queued report: adds its compile job and stamps the row. Best
   * effort: if Redis (or the stamp) fails, the relay tick queues it later, so none is lost.
   */
  async queueCompile(reportId: string): Promise<void> {
    try {
      await this.queue.add(ReportJob.Compile, { reportId }, { jobId: reportId });
      await this.reports.stampQueued(reportId, this.clock.now());
    } catch (error) {
      this.logger.warn(`Report ${reportId} waits for the relay: ${(error as Error).message}`);
    }
  }

  /**
   * Moves the queued reports that have no job yet into the queue, once each, and stamps them.
   * The jobs are added before the commit: if Redis refuses, the rows stay for the next tick.
   * Answers how many moved.
   */
  async relay(limit = RELAY_BATCH): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const ids = await this.reports.stampUnqueuedReports(this.clock.now(), limit, manager);
      if (ids.length > 0) {
        await this.queue.addBulk(
          ids.map((id) =>
            jobOf(QueueName.Reports, ReportJob.Compile, { reportId: id }, { jobId: id }),
          ),
        );
      }
      return ids.length;
    });
  }

  /**
   * Queues again, as reports that never started, the queued or running reports
   * whose job Redis lost or ended while the report did not (a failure could not be recorded,
   * say). Answers how many went back.
   */
  async reconcile(limit = 1000): Promise<number> {
    const now = this.clock.now();
    const waiting = await this.reports.reportsInQueueSince(now, RECONCILE_AFTER_SECONDS, limit);
    const lost = await lostJobs(this.queue, waiting, { finished: true });
    if (lost.length === 0) return 0;
    const requeued = await this.reports.requeueReports(lost, now, RECONCILE_AFTER_SECONDS);
    if (requeued.length > 0) {
      this.logger.warn(`Reports whose compile job was lost are queued again: ${requeued}`);
      // At once rather than at the next relay tick: their readers have waited long enough.
      await this.relay();
    }
    return requeued.length;
  }
}
