import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AssessmentsModule } from '../assessments/assessments.module.js';
import { DocumentsModule } from '../documents/documents.module.js';
import { CountriesModule } from '../countries/countries.module.js';
import { EventsModule } from '../events/events.module.js';
import { MilestonesModule } from '../milestones/milestones.module.js';
import { GateStakeholdersQuery } from './gate-stakeholders.query.js';
import { GateChecks } from './gates.js';
import { ProgrammeAccessModule } from './programme-access.service.js';
import { ProgrammeDetailQuery } from './programme-detail.query.js';
import { ProgrammeHistoryQuery } from './programme-history.query.js';
import { PhaseMediansQuery } from './phase-medians.query.js';
import { ProgrammeListQuery } from './programme-list.query.js';
import { Programme } from './programme.entity.js';
import { ProgrammesController } from './programmes.controller.js';
import { ProgrammesService } from './programmes.service.js';
import { PhaseTransition } from './phase-transition.entity.js';
import { TransitionsController } from './transitions.controller.js';
import { TransitionsService } from './transitions.service.js';

@Module({
  imports: [
    TypeOrmModule.forFeature([Programme, PhaseTransition]),
    CountriesModule,
    MilestonesModule,
    AssessmentsModule,
    DocumentsModule,
    // Provides ProgrammesRepository too, which other modules reach the same way.
    ProgrammeAccessModule,
    EventsModule,
  ],
  controllers: [ProgrammesController, TransitionsController],
  providers: [
    ProgrammesService,
    ProgrammeListQuery,
    PhaseMediansQuery,
    ProgrammeDetailQuery,
    TransitionsService,
    GateChecks,
    GateStakeholdersQuery,
    ProgrammeHistoryQuery,
  ],
  exports: [ProgrammesService, TransitionsService, ProgrammeHistoryQuery],
})
export class ProgrammesModule {}
