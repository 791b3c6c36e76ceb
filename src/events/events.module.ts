import { BullModule, Processor, WorkerHost } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { recurringJobs } from '../queues/job-schedule.js';
import { unknownJob } from '../queues/job-errors.js';
import { DigestJob, QueueName, type QueueJob } from '../queues/queue-names.js';
import { DigestService } from './digest.service.js';
import { EventAudienceQuery } from './event-audience.query.js';
import { EventNotifier } from './event-notifier.service.js';
import { EventsRepository } from './events.repository.js';
import { NotificationPreferencesController } from './notification-preferences.controller.js';
import { NotificationPreferencesService } from './notification-preferences.service.js';
import { UserPreferencesQuery } from './user-preferences.query.js';

@Processor(QueueName.Digests, { runRetryDelay: 2_000 })
export class DigestProcessor extends WorkerHost {
  constructor(private readonly digests: DigestService) {
    super();
  }

  process(job: QueueJob<QueueName.Digests>): Promise<number> {
    const { name } = job;
    switch (name) {
      case DigestJob.Write:
        return this.digests.sendDue();
      default:
        return unknownJob(name);
    }
  }
}

/** Event notifications: who hears of what, users' preferences and their daily digests. */
@Module({
  imports: [
    NotificationsModule,
    BullModule.registerQueue({
      name: QueueName.Digests,
      defaultJobOptions: { removeOnComplete: true, removeOnFail: 100 },
    }),
  ],
  controllers: [NotificationPreferencesController],
  providers: [
    EventsRepository,
    EventAudienceQuery,
    UserPreferencesQuery,
    EventNotifier,
    NotificationPreferencesService,
    DigestService,
    DigestProcessor,
    // Hourly, on the hour: each user's digest goes out in the first tick from 08:00 where they are.
    recurringJobs(QueueName.Digests, () => [{ name: DigestJob.Write, pattern: '0 * * * *' }]),
  ],
  exports: [EventNotifier, NotificationPreferencesService],
})
export class EventsModule {}
