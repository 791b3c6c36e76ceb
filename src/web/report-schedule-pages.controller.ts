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
import ct from 'countries-and-timezones';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ACTION_RIGHTS, AccessPolicy } from '../auth/access-policy.js';
import { Roles } from '../auth/access.decorators.js';
import { CurrentActor } from '../auth/actor.decorator.js';
import type { Actor, Principal } from '../auth/roles.js';
import { Body } from '../common/body.decorator.js';
import { PageQuery } from '../common/pagination.js';
import { REGION_CODES } from '../countries/regions.js';
import {
  CreateReportScheduleDto,
  PauseReportScheduleDto,
  REPORT_FORMATS,
} from '../reports/dto/report.dto.js';
import { ReportSchedulesService } from '../reports/report-schedules.service.js';
import { ReportsService } from '../reports/reports.service.js';
import { PageErrorFilter } from './page-error.filter.js';
import { isTimeZone } from './page-formats.js';
import { PageForms, pageQuery } from './page-forms.js';
import { PageRenderer } from './page-renderer.js';
import { ReportRecipientsQuery } from './report-recipients.query.js';
import {
  FREQUENCIES,
  LAST_DAY_OF_MONTH,
  type PostedWords,
  WEEKDAYS,
  WEEKDAY_KEYS,
  clockTime,
  cronOf,
  scheduleMessage,
} from './schedule-words.js';

const PAGE = '/app/report-schedules';

/** The zones the form offers: those the API's validator takes, UTC first. */
const TIME_ZONES = [
  'UTC',
  ...Intl.supportedValuesOf('timeZone').filter(
    (zone) => zone !== 'UTC' && ct.getTimezone(zone) !== null,
  ),
];

/** The browser's IANA zone, which app.js keeps in this cookie (as PageRenderer reads it). */
const TIME_ZONE_COOKIE = 'tz';

/** Why a schedule paused itself; any other reason is what the person who paused it wrote. */
const OWN_PAUSE_REASONS = [
  'owner_missing',
  'owner_disabled',
  'owner_scope_changed',
  'no_recipients',
];

const WORD_FIELDS = ['frequency', 'weekday', 'dayOfMonth', 'hour'] as const;

/**
 * The create form's post as the API's body: its words (every Monday at 07:00) become the `cron`
 * the DTO validates; words that say no schedule leave `cron` out, which the DTO refuses. Anything
 * but an object goes on as it is, for the form handler to refuse.
 */
function withCron(body: unknown): { body: unknown; words: Record<string, string> } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { body, words: {} };
  const { cron: _posted, ...fields } = body as Record<string, unknown>;
  const posted: PostedWords = {};
  const words: Record<string, string> = {};
  for (const name of WORD_FIELDS) {
    posted[name] = fields[name];
    if (typeof fields[name] === 'string') words[name] = fields[name];
    delete fields[name];
  }
  const cron = cronOf(posted);
  return { body: cron ? { ...fields, cron } : fields, words };
}

/**
 * Report schedules: the list in the reader's scope, each said in words with its next run and
 * last report, and the form to make one, in words too. Those who may ask for reports schedule
 * them (a coordinator on their region) and delete them; the ITU team pauses and resumes them.
 */
@ApiExcludeController()
@UseFilters(PageErrorFilter)
@Controller('app/report-schedules')
export class ReportSchedulePagesController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly forms: PageForms,
    private readonly schedules: ReportSchedulesService,
    private readonly reports: ReportsService,
    private readonly recipients: ReportRecipientsQuery,
    private readonly policy: AccessPolicy,
  ) {}

  @Get()
  @Roles(...ACTION_RIGHTS.requestReports)
  async schedulesPage(
    @CurrentActor() actor: Actor,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Query() rawQuery: Record<string, unknown>,
  ): Promise<void> {
    const query = await pageQuery(rawQuery, PageQuery);
    const { view, data } = await this.page(actor, request, query);
    await this.pages.render(request, reply, view, data, actor.user);
  }

  @Post()
  @Roles(...ACTION_RIGHTS.requestReports)
  async create(
    @CurrentActor() actor: Actor,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Body() body: unknown,
  ): Promise<void> {
    const { body: input, words } = withCron(body);
    await this.forms.submit(request, reply, actor, input, {
      id: 'schedule-create',
      dto: CreateReportScheduleDto,
      kinds: { formats: 'list', recipients: 'list' },
      action: (dto) => this.schedules.create(actor, dto),
      done: 'done.scheduleCreated',
      back: PAGE,
      page: () => this.page(actor, request, new PageQuery(), words),
    });
  }

  @Post(':id/pause')
  @Roles(...ACTION_RIGHTS.manageReportSchedules)
  async pause(
    @CurrentActor() actor: Actor,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: unknown,
  ): Promise<void> {
    await this.forms.submit(request, reply, actor, body, {
      id: `pause-${id}`,
      dto: PauseReportScheduleDto,
      action: (dto) => this.schedules.pauseByHand(actor, id, dto.reason),
      done: 'done.schedulePaused',
      back: PAGE,
      page: () => this.page(actor, request, new PageQuery()),
    });
  }

  @Post(':id/resume')
  @Roles(...ACTION_RIGHTS.manageReportSchedules)
  async resume(
    @CurrentActor() actor: Actor,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<void> {
    await this.forms.submit(request, reply, actor, undefined, {
      id: `resume-${id}`,
      action: () => this.schedules.resume(actor, id),
      done: 'done.scheduleResumed',
      back: PAGE,
      page: () => this.page(actor, request, new PageQuery()),
    });
  }

  @Post(':id/delete')
  @Roles(...ACTION_RIGHTS.requestReports)
  async remove(
    @CurrentActor() actor: Actor,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<void> {
    await this.forms.submit(request, reply, actor, undefined, {
      id: `delete-${id}`,
      action: () => this.schedules.remove(actor, id),
      done: 'done.scheduleDeleted',
      back: PAGE,
      page: () => this.page(actor, request, new PageQuery()),
    });
  }

  private async page(
    actor: Actor,
    request: FastifyRequest,
    query: PageQuery,
    postedWords: Record<string, string> = {},
  ) {
    const lang = this.pages.language(request, actor.user);
    const list = await this.schedules.list(actor.user, query);
    const [lastReports, texts, people] = await Promise.all([
      this.schedules.lastReports(
        actor.user,
        list.items.map((schedule) => schedule.id),
      ),
      this.reports.texts(
        lang,
        list.items.flatMap((schedule) => schedule.scope.countryCodes ?? []),
      ),
      this.recipients.choicesFor(actor.user),
    ]);
    const names = new Map(people.map((person) => [person.email.toLowerCase(), person.displayName]));
    return {
      view: 'report-schedules',
      data: {
        title: 'schedules.title',
        schedules: {
          ...list,
          items: list.items.map((schedule) => ({
            ...schedule,
            words: scheduleMessage(schedule.cron),
            scopeText: schedule.scope.regionCode
              ? texts.region(schedule.scope.regionCode)
              : texts.scope(schedule.scope),
            recipients: schedule.recipients.map((email) => ({
              email,
              displayName: names.get(email.toLowerCase()) ?? null,
            })),
            pausedReasonKey:
              schedule.pausedReason && OWN_PAUSE_REASONS.includes(schedule.pausedReason)
                ? `schedules.pausedReason.${schedule.pausedReason}`
                : null,
            lastReport: lastReports.get(schedule.id) ?? null,
          })),
        },
        may: { manage: this.policy.mayDo(actor.user, 'manageReportSchedules') },
        createForm: {
          scope: this.scopeChoice(actor.user),
          frequencies: FREQUENCIES,
          weekdays: WEEKDAYS.map((day) => ({ value: day, key: WEEKDAY_KEYS[day] })),
          daysOfMonth: Array.from({ length: LAST_DAY_OF_MONTH }, (_, i) => i + 1),
          hours: Array.from({ length: 24 }, (_, hour) => ({ value: hour, text: clockTime(hour) })),
          timeZones: TIME_ZONES,
          formats: REPORT_FORMATS,
          people,
          // What was posted, when the form was refused; else a weekly report, Monday at 07:00.
          words: { frequency: 'weekly', weekday: '1', dayOfMonth: '1', hour: '7', ...postedWords },
          timeZone: this.defaultTimeZone(request, actor.user),
        },
      },
    };
  }

  /** On the one region a coordinator covers, or on a region the ITU team chooses (or all). */
  private scopeChoice(user: Principal) {
    const scope = this.policy.readScope(user);
    return scope.kind === 'region'
      ? { fixedRegion: scope.regionCode }
      : { regionChoices: REGION_CODES };
  }

  /** The zone the user chose, else their browser's, else UTC. */
  private defaultTimeZone(request: FastifyRequest, user: Principal): string {
    for (const zone of [user.timezone, request.cookies[TIME_ZONE_COOKIE]]) {
      if (isTimeZone(zone) && TIME_ZONES.includes(zone)) return zone;
    }
    return 'UTC';
  }
}
