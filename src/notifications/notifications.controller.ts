import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { Body } from '../common/body.decorator.js';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Page } from '../common/pagination.js';
import { ApiProblems, pageOf } from '../common/openapi.js';
import { ACTION_RIGHTS, READ_RIGHTS } from '../auth/access-policy.js';
import { Roles } from '../auth/access.decorators.js';
import { CurrentActor } from '../auth/actor.decorator.js';
import type { Actor } from '../auth/roles.js';
import {
  NotificationResponse,
  NotificationsQuery,
  TestNotificationDto,
  TestNotificationResult,
} from './dto/notification.dto.js';
import { NotificationsService } from './notifications.service.js';

@ApiTags('notifications')
@ApiBearerAuth()
@Controller('notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @ApiOperation({ summary: 'The delivery log in the caller’s scope, filtered' })
  @ApiOkResponse({ type: pageOf(NotificationResponse) })
  @ApiProblems(400, 401, 403)
  @Get()
  @Roles(...READ_RIGHTS.notifications)
  list(
    @CurrentActor() actor: Actor,
    @Query() query: NotificationsQuery,
  ): Promise<Page<NotificationResponse>> {
    return this.notifications.list(actor, query);
  }

  @ApiOperation({ summary: 'Send a test e-mail or webhook now and answer what the channel said' })
  @ApiOkResponse({ type: TestNotificationResult })
  @ApiProblems(400, 401, 403)
  @Post('test')
  @HttpCode(200)
  @Roles(...ACTION_RIGHTS.sendTestNotifications)
  sendTest(
    @CurrentActor() actor: Actor,
    @Body() dto: TestNotificationDto,
  ): Promise<TestNotificationResult> {
    return this.notifications.sendTest(actor, dto);
  }

  @ApiOperation({ summary: 'Put a dead or failed notification back to pending' })
  @ApiOkResponse({ type: NotificationResponse })
  @ApiProblems(400, 401, 403, 404, 422)
  @Post(':id/retry')
  @HttpCode(200)
  @Roles(...ACTION_RIGHTS.retryNotifications)
  retry(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<NotificationResponse> {
    return this.notifications.retry(actor, id);
  }
}
