import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EventsModule } from '../events/events.module.js';
import { ProgrammeAccessModule } from '../programmes/programme-access.service.js';
import { StatusUpdate } from './status-update.entity.js';
import { StatusUpdatesController } from './status-updates.controller.js';
import { StatusUpdatesRepository } from './status-updates.repository.js';
import { StatusUpdatesService } from './status-updates.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([StatusUpdate]), ProgrammeAccessModule, EventsModule],
  controllers: [StatusUpdatesController],
  providers: [StatusUpdatesRepository, StatusUpdatesService],
  exports: [StatusUpdatesService],
})
export class StatusUpdatesModule {}
