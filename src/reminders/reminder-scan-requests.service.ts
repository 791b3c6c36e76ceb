import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock.js';
import { CommonErrors } from '../common/common.errors.js';
import { DomainError } from '../common/domain-error.js';
import { QueueName, ReminderJob, type TypedQueue } from '../queues/queue-names.js';
import type { ReminderScanAccepted } from './dto/reminder.dto.js';

/**
 * A reminder scan asked for by hand, through the API or the notifications page: queued for a
 * worker, as the schedule's scans are, never run in the API process.
 */
@Injectable()
export class ReminderScanRequests {
  constructor(
    @InjectQueue(QueueName.Reminders) private readonly queue: TypedQueue<QueueName.Reminders>,
    private readonly clock: Clock,
  ) {}

  async runNow(): Promise<ReminderScanAccepted> {
    const jobId = `manual-${this.clock.now().getTime()}`;
    try {
      await this.queue.add(
        ReminderJob.Scan,
        {},
        { jobId, removeOnComplete: 100, removeOnFail: 100 },
      );
    } catch {
      throw new DomainError(CommonErrors.queue_unavailable);
    }
    return { jobId };
  }
}
