import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EventsModule } from '../events/events.module.js';
import { ProgrammeAccessModule } from '../programmes/programme-access.service.js';
import { StakeholdersModule } from '../stakeholders/stakeholders.module.js';
import { Milestone } from './milestone.entity.js';
import { MilestonesController } from './milestones.controller.js';
import { MilestonesRepository } from './milestones.repository.js';
import { MilestonesService } from './milestones.service.js';

@Module({
  imports: [
    TypeOrmModule.forFeature([Milestone]),
    ProgrammeAccessModule,
    StakeholdersModule,
    EventsModule,
  ],
  controllers: [MilestonesController],
  providers: [MilestonesRepository, MilestonesService],
  exports: [MilestonesService],
})
export class MilestonesModule {}
