import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../config/app-config.js';
import { OutboxJob, QueueName } from '../queues/queue-names.js';
import { EmailChannel } from './channels/email.channel.js';
import { WebhookChannel } from './channels/webhook.channel.js';
import { DeliveryService } from './delivery.service.js';
import { Notification } from './notification.entity.js';
import { recurringJobs } from '../queues/job-schedule.js';
import { StakeholdersModule } from '../stakeholders/stakeholders.module.js';
import { DeliveryProcessor, OutboxProcessor } from './notification.processors.js';
import { NotificationLogQuery } from './notification-log.query.js';
import { NotificationsController } from './notifications.controller.js';
import { OutboxWriterModule } from './outbox-writer.module.js';
import { NotificationsService } from './notifications.service.js';
import { Outbox } from './outbox.service.js';
import { ReportAttachmentsQuery } from './report-attachments.query.js';

@Module({
  imports: [
    TypeOrmModule.forFeature([Notification]),
    StakeholdersModule,
    OutboxWriterModule,
    BullModule.registerQueueAsync({
      name: QueueName.Notifications,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        defaultJobOptions: {
          attempts: config.NOTIFICATION_MAX_ATTEMPTS,
          backoff: { type: 'exponential', delay: config.NOTIFICATION_BACKOFF_MS },
          removeOnComplete: true,
          removeOnFail: true,
        },
      }),
    }),
    BullModule.registerQueue({
      name: QueueName.Outbox,
      defaultJobOptions: { removeOnComplete: true, removeOnFail: 100 },
    }),
  ],
  controllers: [NotificationsController],
  providers: [
    NotificationLogQuery,
    ReportAttachmentsQuery,
    Outbox,
    DeliveryService,
    NotificationsService,
    EmailChannel,
    WebhookChannel,
    DeliveryProcessor,
    OutboxProcessor,
    recurringJobs(QueueName.Outbox, (config) => [
      { name: OutboxJob.Relay, every: config.OUTBOX_RELAY_INTERVAL_MS },
      { name: OutboxJob.Reconcile, every: 60_000 },
    ]),
  ],
  exports: [OutboxWriterModule, WebhookChannel, NotificationsService],
})
export class NotificationsModule {}
