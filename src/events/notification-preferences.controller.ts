import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/access.decorators.js';
import { CurrentActor } from '../auth/actor.decorator.js';
import { ANY_ROLE, type Actor } from '../auth/roles.js';
import {
  NotificationPreferencesResponse,
  UpdateNotificationPreferencesDto,
} from './dto/notification-preferences.dto.js';
import { NotificationPreferencesService } from './notification-preferences.service.js';

@ApiTags('identity')
@ApiBearerAuth()
@Controller('auth/me/notification-preferences')
export class NotificationPreferencesController {
  constructor(private readonly preferences: NotificationPreferencesService) {}

  @Get()
  @Roles(...ANY_ROLE)
  get(@CurrentActor() actor: Actor): Promise<NotificationPreferencesResponse> {
    return this.preferences.get(actor.user);
  }

  @Put()
  @Roles(...ANY_ROLE)
  replace(
    @CurrentActor() actor: Actor,
    @Body() dto: UpdateNotificationPreferencesDto,
  ): Promise<NotificationPreferencesResponse> {
    return this.preferences.replace(actor, dto);
  }
}
