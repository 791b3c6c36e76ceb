import {
  Controller,
  Get,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Req,
  Res,
  UseFilters,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ACTION_RIGHTS, AccessPolicy, READ_RIGHTS } from '../auth/access-policy.js';
import { Roles } from '../auth/access.decorators.js';
import { CurrentActor } from '../auth/actor.decorator.js';
import type { Actor } from '../auth/roles.js';
import { createValidationPipe } from '../common/validation.js';
import { NotificationsQuery } from '../notifications/dto/notification.dto.js';
import {
  NOTIFICATION_CHANNELS,
  NOTIFICATION_STATUSES,
} from '../notifications/notification.entity.js';
import { messageKindOf } from '../notifications/notification-kind.js';
import { NotificationsService } from '../notifications/notifications.service.js';
import { translator } from './i18n.js';
import { PageErrorFilter } from './page-error.filter.js';
import { PageForms } from './page-forms.js';
import { PageRenderer } from './page-renderer.js';
import { PortfolioQuery } from './portfolio.query.js';

const validation = createValidationPipe();

/** The log's filters and page as a query string, to come back to the same view after a retry. */
function queryString(query: NotificationsQuery): string {
  const params = new URLSearchParams();
  if (query.status) params.set('status', query.status);
  if (query.channel) params.set('channel', query.channel);
  if (query.page && query.page > 1) params.set('page', String(query.page));
  const text = params.toString();
  return text ? `?${text}` : '';
}

/**
 * The delivery log in the reader's scope, with retry for those who may send again. A national
 * team reads it as the messages sent to its own country's people; the others as the log of all
 * the countries they follow, each message named with its country.
 */
@ApiExcludeController()
@UseFilters(PageErrorFilter)
@Controller('app/notifications')
export class NotificationPagesController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly forms: PageForms,
    private readonly notifications: NotificationsService,
    private readonly policy: AccessPolicy,
    private readonly portfolio: PortfolioQuery,
  ) {}

  @Get()
  @Roles(...READ_RIGHTS.notifications)
  async notificationsPage(
    @CurrentActor() actor: Actor,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Query() rawQuery: Record<string, unknown>,
  ): Promise<void> {
    const { view, data } = await this.page(actor, request, await this.filters(rawQuery));
    await this.pages.render(request, reply, view, data, actor.user);
  }

  @Post(':id/retry')
  @Roles(...ACTION_RIGHTS.retryNotifications)
  async retry(
    @CurrentActor() actor: Actor,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() rawQuery: Record<string, unknown>,
  ): Promise<void> {
    // Back to the log as it was filtered and paged.
    const query = await this.filters(rawQuery);
    await this.forms.submit(request, reply, actor, undefined, {
      id: `retry-${id}`,
      action: () => this.notifications.retry(actor, id),
      done: 'done.notificationRetried',
      back: `/app/notifications${queryString(query)}`,
      page: () => this.page(actor, request, query),
    });
  }

  private filters(rawQuery: Record<string, unknown>): Promise<NotificationsQuery> {
    const { lang: _lang, ...filters } = rawQuery;
    return validation.transform(filters, { type: 'query', metatype: NotificationsQuery });
  }

  private async page(actor: Actor, request: FastifyRequest, query: NotificationsQuery) {
    const log = await this.notifications.list(actor, query);
    const lang = this.pages.language(request, actor.user);
    const countryNames = new Map(
      (await this.portfolio.countries(actor.user, lang)).map((country) => [
        country.code,
        country.name,
      ]),
    );
    const scope = this.policy.readScope(actor.user);
    // A national team's own country, named in the page's language.
    const ownCountryName =
      scope.kind === 'country' ? (countryNames.get(scope.countryCode) ?? scope.countryCode) : null;
    return {
      view: 'notifications',
      data: {
        ...(ownCountryName
          ? {
              title: translator(lang)('teamMessagesTitle', { country: ownCountryName }),
              rawTitle: true,
            }
          : { title: 'notifications' }),
        ownCountryName,
        log: {
          ...log,
          items: log.items.map((item) => ({
            ...item,
            messageKind: messageKindOf(item.kind),
            // A national team's messages are all about its own country: it is not repeated.
            countryName:
              item.countryCode && !ownCountryName
                ? (countryNames.get(item.countryCode) ?? item.countryCode)
                : null,
          })),
        },
        query,
        statuses: NOTIFICATION_STATUSES,
        channels: NOTIFICATION_CHANNELS,
        may: { retry: this.policy.mayDo(actor.user, 'retryNotifications') },
        currentQuery: queryString(query),
      },
    };
  }
}
