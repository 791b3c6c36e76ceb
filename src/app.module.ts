import { DynamicModule, Module } from '@nestjs/common';
import { AssessmentsModule } from './assessments/assessments.module.js';
import { AuditLogModule, AuditModule } from './audit/audit.module.js';
import { AuthModule } from './auth/auth.module.js';
import { CampaignsModule } from './campaigns/campaigns.module.js';
import { CommonModule } from './common/common.module.js';
import { AppConfig } from './config/app-config.js';
import { ConfigModule } from './config/config.module.js';
import { CountriesModule } from './countries/countries.module.js';
import { DatabaseModule } from './database/database.module.js';
import { DocumentsModule } from './documents/documents.module.js';
import { EventsModule } from './events/events.module.js';
import { HealthModule } from './health/health.module.js';
import { LoggingModule } from './logging/logging.module.js';
import { MilestonesModule } from './milestones/milestones.module.js';
import { NotificationsModule } from './notifications/notifications.module.js';
import { PortfolioModule } from './portfolio/portfolio.module.js';
import { ProgrammesModule } from './programmes/programmes.module.js';
import { QueuesModule } from './queues/queues.module.js';
import { RateLimitsModule } from './rate-limits/rate-limits.module.js';
import { RemindersModule } from './reminders/reminders.module.js';
import { ReportsModule } from './reports/reports.module.js';
import { StakeholdersModule } from './stakeholders/stakeholders.module.js';
import { StatusUpdatesModule } from './status-updates/status-updates.module.js';
import { UsersModule } from './users/users.module.js';
import { WebModule } from './web/web.module.js';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        CommonModule,
        LoggingModule,
        DatabaseModule,
        RateLimitsModule,
        QueuesModule,
        AuditModule,
        AuditLogModule,
        AuthModule,
        HealthModule,
        CountriesModule,
        UsersModule,
        ProgrammesModule,
        PortfolioModule,
        DocumentsModule,
        MilestonesModule,
        StatusUpdatesModule,
        StakeholdersModule,
        AssessmentsModule,
        CampaignsModule,
        NotificationsModule,
        RemindersModule,
        EventsModule,
        ReportsModule,
        WebModule,
      ],
    };
  }
}
