import { Processor, WorkerHost } from '@nestjs/bullmq';
import { UnrecoverableError } from 'bullmq';
import { isLastAttempt, isTransientError, unknownJob } from '../queues/job-errors.js';
import { type NamedJob, QueueName, type QueueJob, ReportJob } from '../queues/queue-names.js';
import { ReportCompiler } from './report-compiler.service.js';
import { ReportOutbox } from './report-outbox.service.js';
import { ReportSchedulesService } from './report-schedules.service.js';
import { ReportsService } from './reports.service.js';

@Processor(QueueName.Reports, { runRetryDelay: 2_000 })
export class ReportsProcessor extends WorkerHost {
  constructor(
    private readonly compiler: ReportCompiler,
    private readonly outbox: ReportOutbox,
    private readonly reports: ReportsService,
    private readonly schedules: ReportSchedulesService,
  ) {
    super();
  }

  process(job: QueueJob<QueueName.Reports>): Promise<void> {
    const { name } = job;
    switch (name) {
      case ReportJob.Compile:
        return this.compile(job);
      case ReportJob.Relay:
        return this.relay();
      case ReportJob.Reconcile:
        return this.reconcile();
      case ReportJob.Scheduled:
        return this.scheduled(job);
      case ReportJob.Retention:
        return this.retention();
      default:
        return unknownJob(name);
    }
  }

  /**
   * A transient error (the database away or busy) goes back to the queue, which tries again with
   * backoff while the report stays running; any other, or one on the last attempt, marks the
   * report failed, and a permanent one is not tried again.
   */
  private async compile(job: NamedJob<QueueName.Reports, ReportJob.Compile>): Promise<void> {
    try {
      await this.compiler.compile(job.data.reportId);
    } catch (error) {
      const transient = isTransientError(error);
      if (transient && !isLastAttempt(job)) throw error;
      await this.compiler.markFailed(job.data.reportId, error);
      throw transient ? error : new UnrecoverableError((error as Error).message);
    }
  }

  private async relay(): Promise<void> {
    await this.outbox.relay();
    await this.schedules.syncSchedulers();
  }

  private async reconcile(): Promise<void> {
    await this.outbox.reconcile();
  }

  private async scheduled(job: NamedJob<QueueName.Reports, ReportJob.Scheduled>): Promise<void> {
    // prevMillis is the firing time the scheduler computed, the same on every retry.
    await this.schedules.run(job.data, new Date(job.opts.prevMillis ?? job.timestamp));
  }

  private async retention(): Promise<void> {
    await this.reports.deleteExpired();
  }
}
