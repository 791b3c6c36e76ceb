import { Controller, Get, Put } from '@nestjs/common';
import { Body } from '../common/body.decorator.js';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '../common/openapi.js';
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

  @ApiOperation({ summary: "The caller's notification preferences" })
  @ApiOkResponse({ type: NotificationPreferencesResponse })
  @ApiProblems(401)
  @Get()
  @Roles(...ANY_ROLE)
  get(@CurrentActor() actor: Actor): Promise<NotificationPreferencesResponse> {
    return this.preferences.get(actor.user);
  }

  @ApiOperation({ summary: "Replace the caller's notification preferences" })
  @ApiOkResponse({ type: NotificationPreferencesResponse })
  @ApiProblems(400, 401)
  @Put()
  @Roles(...ANY_ROLE)
  replace(
    @CurrentActor() actor: Actor,
    @Body() dto: UpdateNotificationPreferencesDto,
  ): Promise<NotificationPreferencesResponse> {
    return this.preferences.replace(actor, dto);
  }
}
