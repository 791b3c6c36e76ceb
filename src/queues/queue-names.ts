import type { BulkJobOptions, Job, Queue } from 'bullmq';

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
   * tick that queues waiting rows and repairs schedulers; the tick that puts back the rows whose
   * job Redis lost; the daily retention job.
   */
  Reports = 'reports',
  /** The hourly tick that writes the daily digests of users whose morning it is. */
  Digests = 'digests',
}

export enum ReportJob {
  Compile = 'compile',
  Relay = 'relay',
  /** Puts back to the relay the queued or running reports whose compile job Redis lost. */
  Reconcile = 'reconcile',
  Scheduled = 'scheduled',
  /** Daily: deletes the reports older than REPORT_RETENTION_DAYS. */
  Retention = 'retention',
}

export enum ReminderJob {
  Scan = 'scan',
}

export enum DigestJob {
  Write = 'digest',
}

export enum OutboxJob {
  Relay = 'relay',
  Reconcile = 'reconcile',
}

export enum DeliveryJob {
  Deliver = 'deliver',
}

export interface CompileReportJobData {
  reportId: string;
}

export interface ScheduledReportJobData {
  scheduleId: string;
}

export interface DeliveryJobData {
  notificationId: string;
}

/** The ticks of job schedulers, and scans asked for by hand, carry nothing. */
export type TickJobData = Record<string, never>;

/**
 * The payload of each job, by queue and job name: the one place that binds a job's name to its
 * data. A processor takes a QueueJob of its queue and dispatches on `job.name`, which types
 * `job.data`; producers build jobs with `jobOf`.
 */
export interface JobData {
  [QueueName.Reports]: {
    [ReportJob.Compile]: CompileReportJobData;
    [ReportJob.Relay]: TickJobData;
    [ReportJob.Reconcile]: TickJobData;
    [ReportJob.Scheduled]: ScheduledReportJobData;
    [ReportJob.Retention]: TickJobData;
  };
  [QueueName.Reminders]: { [ReminderJob.Scan]: TickJobData };
  [QueueName.Digests]: { [DigestJob.Write]: TickJobData };
  [QueueName.Outbox]: { [OutboxJob.Relay]: TickJobData; [OutboxJob.Reconcile]: TickJobData };
  [QueueName.Notifications]: { [DeliveryJob.Deliver]: DeliveryJobData };
}

export type JobName<Q extends QueueName> = keyof JobData[Q] & string;

/** A job of queue Q: a union over its names, so that `switch (job.name)` narrows `job.data`. */
export type QueueJob<Q extends QueueName> = {
  [N in JobName<Q>]: Job<JobData[Q][N], unknown, N>;
}[JobName<Q>];

/** The job of queue Q named N. */
export type NamedJob<Q extends QueueName, N extends JobName<Q>> = Job<JobData[Q][N], unknown, N>;

/** Queue Q as `@InjectQueue(Q)` gives it, taking only Q's job names and payloads. */
export type TypedQueue<Q extends QueueName> = Queue<JobData[Q][JobName<Q>], unknown, JobName<Q>>;

/** A job of queue Q to add, its payload checked against its name: for `add` and `addBulk`. */
export function jobOf<Q extends QueueName, N extends JobName<Q>>(
  _queue: Q,
  name: N,
  data: JobData[Q][N],
  opts?: BulkJobOptions,
): { name: N; data: JobData[Q][N]; opts?: BulkJobOptions } {
  return { name, data, opts };
}
