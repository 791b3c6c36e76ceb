import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import {
  type CompileReportJobData,
  QueueName,
  ReportJob,
  type ScheduledReportJobData,
} from '../queues/queue-names.js';
import { ReportCompiler } from './report-compiler.service.js';
import { ReportSchedulesService } from './report-schedules.service.js';
import { ReportsService } from './reports.service.js';

@Processor(QueueName.Reports, { runRetryDelay: 2_000 })
export class ReportsProcessor extends WorkerHost {
  constructor(
    private readonly compiler: ReportCompiler,
    private readonly reports: ReportsService,
    private readonly schedules: ReportSchedulesService,
  ) {
    super();
  }

  async process(job: Job): Promise<void> {
    switch (job.name) {
      case ReportJob.Relay:
        await this.reports.relayQueued();
        await this.schedules.syncSchedulers();
        return;
      case ReportJob.Retention:
        await this.reports.deleteExpired();
        return;
      case ReportJob.Scheduled:
        // prevMillis is the firing time the scheduler computed, the same on every retry.
        await this.schedules.run(
          job.data as ScheduledReportJobData,
          new Date(job.opts.prevMillis ?? job.timestamp),
        );
        return;
      default:
        await this.compiler.compile((job.data as CompileReportJobData).reportId);
    }
  }
}
