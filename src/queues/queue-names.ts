/** Every BullMQ queue of the product, and the jobs each carries. */
export enum QueueName {
  /** One job per notification row (jobId = row id): send it. */
  Notifications = 'notifications',
  /** Recurring ticks that move pending rows to Notifications and repair what Redis lost. */
  Outbox = 'outbox',
}

export enum OutboxJob {
  Relay = 'relay',
  Reconcile = 'reconcile',
}

export interface DeliveryJobData {
  notificationId: string;
}
