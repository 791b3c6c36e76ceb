import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module.js';
import { UsersModule } from '../users/users.module.js';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { PortfolioModule } from '../portfolio/portfolio.module.js';
import { recurringJobs } from '../queues/job-schedule.js';
import { QueueName, ReportJob } from '../queues/queue-names.js';
import { ReportCompiler } from './report-compiler.service.js';
import { ReportDataQuery } from './report-data.query.js';
import { ReportOutbox } from './report-outbox.service.js';
import { ReportSchedulesService } from './report-schedules.service.js';
import { ReportScopes } from './report-scope.js';
import { ReportSchedulesController, ReportsController } from './reports.controller.js';
import { ReportsProcessor } from './reports.processor.js';
import { ReportsRepository } from './reports.repository.js';
import { ReportsService } from './reports.service.js';

@Module({
  imports: [
    UsersModule,
    NotificationsModule,
    EventsModule,
    PortfolioModule,
    BullModule.registerQueue({
      name: QueueName.Reports,
      defaultJobOptions: {
        attempts: 3,
        backoff: { type: 'exponential', delay: 5_000 },
        removeOnComplete: true,
        removeOnFail: 100,
      },
    }),
  ],
  controllers: [ReportsController, ReportSchedulesController],
  providers: [
    ReportsRepository,
    ReportOutbox,
    ReportsService,
    ReportSchedulesService,
    ReportScopes,
    ReportCompiler,
    ReportDataQuery,
    ReportsProcessor,
    recurringJobs(QueueName.Reports, () => [
      { name: ReportJob.Relay, every: 10_000 },
      { name: ReportJob.Reconcile, every: 60_000 },
      { name: ReportJob.Retention, pattern: '17 3 * * *' },
    ]),
  ],
  exports: [ReportsService, ReportSchedulesService],
})
export class ReportsModule {}
