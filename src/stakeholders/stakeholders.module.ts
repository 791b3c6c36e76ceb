import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CountriesModule } from '../countries/countries.module.js';
import { Stakeholder } from './stakeholder.entity.js';
import { StakeholdersController } from './stakeholders.controller.js';
import { StakeholdersRepository } from './stakeholders.repository.js';
import { StakeholdersService } from './stakeholders.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([Stakeholder]), CountriesModule],
  controllers: [StakeholdersController],
  providers: [StakeholdersRepository, StakeholdersService],
  exports: [StakeholdersService],
})
export class StakeholdersModule {}
