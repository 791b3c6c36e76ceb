import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CountriesModule } from '../countries/countries.module.js';
import { MilestonesModule } from '../milestones/milestones.module.js';
import { ProgrammeAccessModule } from './programme-access.service.js';
import { ProgrammeListQuery } from './programme-list.query.js';
import { Programme } from './programme.entity.js';
import { ProgrammesController } from './programmes.controller.js';
import { ProgrammesService } from './programmes.service.js';

@Module({
  imports: [
    TypeOrmModule.forFeature([Programme]),
    CountriesModule,
    MilestonesModule,
    ProgrammeAccessModule,
  ],
  controllers: [ProgrammesController],
  providers: [ProgrammesService, ProgrammeListQuery],
  exports: [ProgrammesService],
})
export class ProgrammesModule {}
