import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ACTION_RIGHTS, READ_RIGHTS } from '../auth/access-policy.js';
import { Roles } from '../auth/access.decorators.js';
import { CurrentActor } from '../auth/actor.decorator.js';
import type { Actor } from '../auth/roles.js';
import { NotificationsQuery, TestNotificationDto } from './dto/notification.dto.js';
import { NotificationsService } from './notifications.service.js';

@ApiTags('notifications')
@ApiBearerAuth()
@Controller('notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get()
  @Roles(...READ_RIGHTS.notifications)
  list(@CurrentActor() actor: Actor, @Query() query: NotificationsQuery) {
    return this.notifications.list(actor, query);
  }

  @Post('test')
  @HttpCode(200)
  @Roles(...ACTION_RIGHTS.sendTestNotifications)
  sendTest(@CurrentActor() actor: Actor, @Body() dto: TestNotificationDto) {
    return this.notifications.sendTest(actor, dto);
  }

  @Post(':id/retry')
  @HttpCode(200)
  @Roles(...ACTION_RIGHTS.retryNotifications)
  retry(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string) {
    return this.notifications.retry(actor, id);
  }
}
