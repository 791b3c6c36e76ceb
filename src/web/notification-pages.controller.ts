import { messageKindOf } from '../notifications/notification-kind.js';
import { Controller, Get, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AccessPolicy, READ_RIGHTS } from '../auth/access-policy.js';
import { Roles } from '../auth/access.decorators.js';
import { CurrentActor } from '../auth/actor.decorator.js';
import type { Actor } from '../auth/roles.js';
import { createValidationPipe } from '../common/validation.js';
import { NotificationsQuery } from '../notifications/dto/notification.dto.js';
import {
  NOTIFICATION_CHANNELS,
  NOTIFICATION_STATUSES,
} from '../notifications/notification.entity.js';
import { NotificationsService } from '../notifications/notifications.service.js';
import { PageErrorFilter } from './page-error.filter.js';
import { PageRenderer } from './page-renderer.js';

const validation = createValidationPipe();

/** The delivery log in the reader's scope, with retry for those who may send again. */
@ApiExcludeController()
@UseFilters(PageErrorFilter)
@Controller('app/notifications')
export class NotificationPagesController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly notifications: NotificationsService,
    private readonly policy: AccessPolicy,
  ) {}

  @Get()
  @Roles(...READ_RIGHTS.notifications)
  async notificationsPage(
    @CurrentActor() actor: Actor,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Query() rawQuery: Record<string, unknown>,
  ): Promise<void> {
    const { lang: _lang, ...filters } = rawQuery;
    const query: NotificationsQuery = await validation.transform(filters, {
      type: 'query',
      metatype: NotificationsQuery,
    });
    const log = await this.notifications.list(actor, query);
    await this.pages.render(
      request,
      reply,
      'notifications',
      {
        title: 'notifications',
        log: {
          ...log,
          items: log.items.map((item) => ({ ...item, messageKind: messageKindOf(item.kind) })),
        },
        query,
        statuses: NOTIFICATION_STATUSES,
        channels: NOTIFICATION_CHANNELS,
        may: { retry: this.policy.mayDo(actor.user, 'retryNotifications') },
      },
      actor.user,
    );
  }
}
