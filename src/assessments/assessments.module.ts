import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DocumentsModule } from '../documents/documents.module.js';
import { EventsModule } from '../events/events.module.js';
import { ProgrammeAccessModule } from '../programmes/programme-access.service.js';
import { Assessment, AssessmentResponse } from './assessment.entity.js';
import { AssessmentTrendService } from './assessment-trend.service.js';
import { AssessmentsRepository } from './assessments.repository.js';
import { AssessmentsController } from './assessments.controller.js';
import { AssessmentsService } from './assessments.service.js';
import { TemplatesService } from './templates.service.js';

@Module({
  imports: [
    TypeOrmModule.forFeature([Assessment, AssessmentResponse]),
    ProgrammeAccessModule,
    EventsModule,
    DocumentsModule,
  ],
  controllers: [AssessmentsController],
  providers: [AssessmentsRepository, TemplatesService, AssessmentsService, AssessmentTrendService],
  exports: [AssessmentsService, AssessmentTrendService, TemplatesService],
})
export class AssessmentsModule {}
