import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CountriesModule } from '../countries/countries.module.js';
import { OutboxWriterModule } from '../notifications/outbox-writer.module.js';
import { InvitationsService } from './invitations.service.js';
import { UsersController } from './users.controller.js';
import { UserChanges } from './user-changes.js';
import { UsersRepository } from './users.repository.js';
import { UsersService } from './users.service.js';
import { User } from './user.entity.js';

/**
 * Users, and their invitations, whose e-mails are written into the notifications outbox (only its
 * writer: no queue, so the command line can create users).
 */
@Module({
  imports: [TypeOrmModule.forFeature([User]), CountriesModule, OutboxWriterModule],
  controllers: [UsersController],
  providers: [UsersRepository, UsersService, UserChanges, InvitationsService],
  exports: [UsersService, UserChanges, InvitationsService],
})
export class UsersModule {}
