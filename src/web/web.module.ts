import { Module } from '@nestjs/common';
import { AssessmentsModule } from '../assessments/assessments.module.js';
import { CampaignsModule } from '../campaigns/campaigns.module.js';
import { AuditLogModule } from '../audit/audit.module.js';
import { AuthModule } from '../auth/auth.module.js';
import { CountriesModule } from '../countries/countries.module.js';
import { EventsModule } from '../events/events.module.js';
import { MilestonesModule } from '../milestones/milestones.module.js';
import { ProgrammesModule } from '../programmes/programmes.module.js';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { RemindersModule } from '../reminders/reminders.module.js';
import { ReportsModule } from '../reports/reports.module.js';
import { StakeholdersModule } from '../stakeholders/stakeholders.module.js';
import { StatusUpdatesModule } from '../status-updates/status-updates.module.js';
import { UsersModule } from '../users/users.module.js';
import { AccountPagesController } from './account-pages.controller.js';
import { AssessmentPageService } from './assessment-page.service.js';
import { AssessmentPagesController } from './assessment-pages.controller.js';
import { AuditPagesController } from './audit-pages.controller.js';
import { CampaignPagesController } from './campaign-pages.controller.js';
import { CountryPageService } from './country-page.service.js';
import { CountryPagesController } from './country-pages.controller.js';
import { InvitationPagesController } from './invitation-pages.controller.js';
import { NotificationFiltersQuery } from './notification-filters.query.js';
import { NotificationPagesController } from './notification-pages.controller.js';
import { PageForms } from './page-forms.js';
import { PageRenderer } from './page-renderer.js';
import { PortfolioModule } from '../portfolio/portfolio.module.js';
import { PortfolioPageService } from './portfolio-page.service.js';
import { PortfolioPagesController } from './portfolio-pages.controller.js';
import { PortfolioQuery } from './portfolio.query.js';
import { ProgrammeHistoryPageQuery } from './programme-history-page.query.js';
import { ProgrammePagesController } from './programme-pages.controller.js';
import { ReportPagesController } from './report-pages.controller.js';
import { ReportRecipientsQuery } from './report-recipients.query.js';
import { ReportSchedulePagesController } from './report-schedule-pages.controller.js';
import { SignInPagesController } from './sign-in-pages.controller.js';
import { UserPagesController } from './user-pages.controller.js';
import { DocumentsModule } from '../documents/documents.module.js';
import { StakeholderPagesController } from './stakeholder-pages.controller.js';
import { WorkQueueQuery } from './work-queue.query.js';

@Module({
  imports: [
    AuthModule,
    CountriesModule,
    ProgrammesModule,
    PortfolioModule,
    MilestonesModule,
    StatusUpdatesModule,
    StakeholdersModule,
    AssessmentsModule,
    CampaignsModule,
    DocumentsModule,
    ReportsModule,
    NotificationsModule,
    AuditLogModule,
    RemindersModule,
    EventsModule,
    UsersModule,
  ],
  // The pages by area; each asks one page service or query, and the access policy.
  controllers: [
    SignInPagesController,
    PortfolioPagesController,
    CountryPagesController,
    ProgrammePagesController,
    StakeholderPagesController,
    AssessmentPagesController,
    CampaignPagesController,
    ReportPagesController,
    ReportSchedulePagesController,
    NotificationPagesController,
    AuditPagesController,
    AccountPagesController,
    UserPagesController,
    InvitationPagesController,
  ],
  providers: [
    PageRenderer,
    PageForms,
    PortfolioQuery,
    WorkQueueQuery,
    PortfolioPageService,
    CountryPageService,
    ProgrammeHistoryPageQuery,
    AssessmentPageService,
    NotificationFiltersQuery,
    ReportRecipientsQuery,
  ],
})
export class WebModule {}
