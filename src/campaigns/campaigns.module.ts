import { Module } from '@nestjs/common';
import { AssessmentsModule } from '../assessments/assessments.module.js';
import { CampaignsController } from './campaigns.controller.js';
import { CampaignsQuery } from './campaigns.query.js';
import { CampaignsRepository } from './campaigns.repository.js';
import { CampaignsService } from './campaigns.service.js';

@Module({
  imports: [AssessmentsModule],
  controllers: [CampaignsController],
  providers: [CampaignsRepository, CampaignsQuery, CampaignsService],
  exports: [CampaignsService],
})
export class CampaignsModule {}
