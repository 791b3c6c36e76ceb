/** Every BullMQ queue of the product, and the jobs each carries. */
export enum QueueName {
  /** One job per notification row (jobId = row id): send it. */
  Notifications = 'notifications',
  /** Recurring ticks that move pending rows to Notifications and repair what Redis lost. */
  Outbox = 'outbox',
  /** The reminder scan: the schedule's ticks and scans asked for by hand. */
  Reminders = 'reminders',
  /**
   * One job per report row (jobId = row id): compile it; the runs of report schedules; the
   * tick that queues waiting rows and repairs schedulers; the daily retention job.
   */
  Reports = 'reports',
  /** The hourly tick that writes the daily digests of users whose morning it is. */
  Digests = 'digests',
}

export enum ReportJob {
  Compile = 'compile',
  Relay = 'relay',
  Scheduled = 'scheduled',
  /** Daily: deletes the reports older than REPORT_RETENTION_DAYS. */
  Retention = 'retention',
}

export interface CompileReportJobData {
  reportId: string;
}

export interface ScheduledReportJobData {
  scheduleId: string;
}

export const REMINDER_SCAN_JOB = 'scan';

export const DIGEST_JOB = 'digest';

export enum OutboxJob {
  Relay = 'relay',
  Reconcile = 'reconcile',
}

export interface DeliveryJobData {
  notificationId: string;
}
