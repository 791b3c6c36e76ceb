import { Module } from '@nestjs/common';
import { AssessmentsModule } from '../assessments/assessments.module.js';
import { AuthModule } from '../auth/auth.module.js';
import { MilestonesModule } from '../milestones/milestones.module.js';
import { ProgrammesModule } from '../programmes/programmes.module.js';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { ReportsModule } from '../reports/reports.module.js';
import { StakeholdersModule } from '../stakeholders/stakeholders.module.js';
import { StatusUpdatesModule } from '../status-updates/status-updates.module.js';
import { PageRenderer } from './page-renderer.js';
import { PagesController } from './pages.controller.js';
import { PortfolioQuery } from './portfolio.query.js';
import { WorkQueueQuery } from './work-queue.query.js';

@Module({
  imports: [
    AuthModule,
    ProgrammesModule,
    MilestonesModule,
    StatusUpdatesModule,
    StakeholdersModule,
    AssessmentsModule,
    ReportsModule,
    NotificationsModule,
  ],
  controllers: [PagesController],
  providers: [PageRenderer, PortfolioQuery, WorkQueueQuery],
})
export class WebModule {}
