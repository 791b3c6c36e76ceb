import { BullModule, InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { Controller, HttpCode, Module, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '../common/openapi.js';
import { Roles } from '../auth/access.decorators.js';
import { Clock } from '../common/clock.js';
import { DomainError } from '../common/domain-error.js';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { recurringJobs } from '../queues/job-schedule.js';
import { unknownJob } from '../queues/job-errors.js';
import { QueueName, type QueueJob, ReminderJob, type TypedQueue } from '../queues/queue-names.js';
import { ReminderScanAccepted } from './dto/reminder.dto.js';
import { ReminderScanQuery } from './reminder-scan.query.js';
import { ReminderScan } from './reminder-scan.service.js';
import { CommonErrors } from '../common/common.errors.js';

@Processor(QueueName.Reminders, { runRetryDelay: 2_000 })
export class ReminderScanProcessor extends WorkerHost {
  constructor(private readonly reminderScan: ReminderScan) {
    super();
  }

  process(job: QueueJob<QueueName.Reminders>): Promise<{ due: number; written: number }> {
    const { name } = job;
    switch (name) {
      case ReminderJob.Scan:
        return this.reminderScan.scan();
      default:
        return unknownJob(name);
    }
  }
}

@ApiTags('reminders')
@ApiBearerAuth()
@Controller('reminders')
export class RemindersController {
  constructor(
    @InjectQueue(QueueName.Reminders) private readonly queue: TypedQueue<QueueName.Reminders>,
    private readonly clock: Clock,
  ) {}

  /** Runs one scan now, on a worker. */
  @ApiOperation({ summary: 'Run the reminder scan now, on a worker' })
  @ApiAcceptedResponse({ type: ReminderScanAccepted })
  @ApiProblems(401, 403, 503)
  @Post('scan')
  @HttpCode(202)
  @Roles('admin', 'itu_pm')
  async scan(): Promise<ReminderScanAccepted> {
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

@Module({
  imports: [
    NotificationsModule,
    BullModule.registerQueue({
      name: QueueName.Reminders,
      defaultJobOptions: { removeOnComplete: true, removeOnFail: 100 },
    }),
  ],
  controllers: [RemindersController],
  providers: [
    ReminderScanQuery,
    ReminderScan,
    ReminderScanProcessor,
    recurringJobs(QueueName.Reminders, (config) => [
      { name: ReminderJob.Scan, pattern: config.REMINDER_SCAN_CRON },
    ]),
  ],
})
export class RemindersModule {}
