import { BullModule, Processor, WorkerHost } from '@nestjs/bullmq';
import { Controller, HttpCode, Module, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '../common/openapi.js';
import { ACTION_RIGHTS } from '../auth/access-policy.js';
import { Roles } from '../auth/access.decorators.js';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { recurringJobs } from '../queues/job-schedule.js';
import { unknownJob } from '../queues/job-errors.js';
import { QueueName, type QueueJob, ReminderJob } from '../queues/queue-names.js';
import { ReminderScanAccepted } from './dto/reminder.dto.js';
import { ReminderScanQuery } from './reminder-scan.query.js';
import { ReminderScanRequests } from './reminder-scan-requests.service.js';
import { ReminderScan } from './reminder-scan.service.js';

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
  constructor(private readonly scans: ReminderScanRequests) {}

  /** Runs one scan now, on a worker. */
  @ApiOperation({ summary: 'Run the reminder scan now, on a worker' })
  @ApiAcceptedResponse({ type: ReminderScanAccepted })
  @ApiProblems(401, 403, 503)
  @Post('scan')
  @HttpCode(202)
  @Roles(...ACTION_RIGHTS.runReminderScans)
  scan(): Promise<ReminderScanAccepted> {
    return this.scans.runNow();
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
    ReminderScanRequests,
    recurringJobs(QueueName.Reminders, (config) => [
      { name: ReminderJob.Scan, pattern: config.REMINDER_SCAN_CRON },
    ]),
  ],
  exports: [ReminderScanRequests],
})
export class RemindersModule {}
