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
import { Body } from '../common/body.decorator.js';
import { EVENT_KINDS } from '../events/event-kinds.js';
import {
  NotificationsQuery,
  TestNotificationDto,
  type TestNotificationResult,
} from '../notifications/dto/notification.dto.js';
import {
  NOTIFICATION_CHANNELS,
  NOTIFICATION_STATUSES,
} from '../notifications/notification.entity.js';
import { messageKindOf } from '../notifications/notification-kind.js';
import { NotificationsService } from '../notifications/notifications.service.js';
import { REMINDER_KINDS } from '../reminders/reminder-kinds.js';
import { ReminderScanRequests } from '../reminders/reminder-scan-requests.service.js';
import { translator } from './i18n.js';
import { NotificationFiltersQuery } from './notification-filters.query.js';
import { PageErrorFilter } from './page-error.filter.js';
import { PageForms, pageQuery } from './page-forms.js';
import { PageRenderer } from './page-renderer.js';
import { PortfolioQuery } from './portfolio.query.js';

/**
 * The kinds a log's message is stored with, for the kind filter, in three groups: the reminders
 * of the scan, the notices of events (with the daily digest that gathers them), and the e-mails
 * that carry a report to its recipients.
 */
const KIND_GROUPS = [
  {
    label: 'logFilter.reminders',
    kinds: REMINDER_KINDS.filter((kind) => kind !== 'test').map((kind) => `reminder.${kind}`),
  },
  {
    label: 'logFilter.events',
    kinds: [...EVENT_KINDS.map((kind) => `event.${kind}`), 'event.daily_digest'],
  },
  { label: 'reports', kinds: ['report.completed'] },
].map(({ label, kinds }) => ({
  label,
  kinds: kinds.map((kind) => ({
    kind,
    // The report's own e-mail and the notice that it is ready share a message kind.
    label:
      kind === 'report.completed'
        ? 'logFilter.reportSent'
        : `notificationKind.${messageKindOf(kind)}`,
  })),
}));

/** The log's filters, and its page if given, as a query string: to come back to the same view. */
function queryString(query: NotificationsQuery, page = query.page): string {
  const params = new URLSearchParams();
  if (query.status) params.set('status', query.status);
  if (query.channel) params.set('channel', query.channel);
  if (query.kind) params.set('kind', query.kind);
  if (query.programmeId) params.set('programmeId', query.programmeId);
  if (page && page > 1) params.set('page', String(page));
  const text = params.toString();
  return text ? `?${text}` : '';
}

/**
 * The delivery log in the reader's scope, with retry for those who may send again. A national
 * team reads it as the messages sent to its own country's people; the others as the log of all
 * the countries they follow, each message named with its country. Those who may also find the
 * tools to run the reminder scan now and to try a channel with a test message.
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
    private readonly filterChoices: NotificationFiltersQuery,
    private readonly reminderScans: ReminderScanRequests,
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

  /** The scan runs on a worker: its reminders reach the log in a moment, not in this answer. */
  @Post('reminder-scan')
  @Roles(...ACTION_RIGHTS.runReminderScans)
  async runReminderScan(
    @CurrentActor() actor: Actor,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Query() rawQuery: Record<string, unknown>,
  ): Promise<void> {
    const query = await this.filters(rawQuery);
    await this.forms.submit(request, reply, actor, undefined, {
      id: 'reminder-scan',
      action: () => this.reminderScans.runNow(),
      done: 'done.reminderScanQueued',
      confirmAt: 'form',
      back: `/app/notifications${queryString(query)}`,
      page: () => this.page(actor, request, query),
    });
  }

  /**
   * What the channel said is the answer, on the page itself: a channel's refusal is a result to
   * read, not a refused form; the form keeps what was typed, to try again.
   */
  @Post('test')
  @Roles(...ACTION_RIGHTS.sendTestNotifications)
  async sendTest(
    @CurrentActor() actor: Actor,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Body() body: unknown,
    @Query() rawQuery: Record<string, unknown>,
  ): Promise<void> {
    const query = await this.filters(rawQuery);
    await this.forms.submit(request, reply, actor, body, {
      id: 'test-message',
      dto: TestNotificationDto,
      action: (input) => this.notifications.sendTest(actor, input),
      back: `/app/notifications${queryString(query)}`,
      page: () => this.page(actor, request, query),
      answer: async (result: TestNotificationResult, input) => {
        const { view, data } = await this.page(actor, request, query);
        const testResult = { ...result, recipient: input.email ?? input.webhookUrl };
        return { view, data: { ...data, testInput: input, testResult } };
      },
    });
  }

  private filters(rawQuery: Record<string, unknown>): Promise<NotificationsQuery> {
    return pageQuery(rawQuery, NotificationsQuery);
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
    const programmes = await this.filterChoices.programmes(actor.user, lang, query.programmeId);
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
        kindGroups: KIND_GROUPS,
        programmes,
        filtered: Boolean(query.status || query.channel || query.kind || query.programmeId),
        may: {
          retry: this.policy.mayDo(actor.user, 'retryNotifications'),
          runReminderScan: this.policy.mayDo(actor.user, 'runReminderScans'),
          sendTest: this.policy.mayDo(actor.user, 'sendTestNotifications'),
        },
        // The log as filtered and paged: the forms post back to it.
        currentQuery: queryString(query),
        pageLink: (page: number) => `/app/notifications${queryString(query, page)}`,
      },
    };
  }
}
