import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CountriesModule } from '../countries/countries.module.js';
import { UsersController } from './users.controller.js';
import { UserChanges } from './user-changes.js';
import { UsersRepository } from './users.repository.js';
import { UsersService } from './users.service.js';
import { User } from './user.entity.js';

@Module({
  imports: [TypeOrmModule.forFeature([User]), CountriesModule],
  controllers: [UsersController],
  providers: [UsersRepository, UsersService, UserChanges],
  exports: [UsersService, UserChanges],
})
export class UsersModule {}
