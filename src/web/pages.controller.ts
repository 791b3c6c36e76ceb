import {
  Body,
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
import { AssessmentsService, missingAnswers } from '../assessments/assessments.service.js';
import { TemplatesService } from '../assessments/templates.service.js';
import { AccessPolicy } from '../auth/access-policy.js';
import { Public, Roles } from '../auth/access.decorators.js';
import { type Credential, CurrentActor, CurrentCredential } from '../auth/actor.decorator.js';
import { AuthService } from '../auth/auth.service.js';
import { LoginDto } from '../auth/dto/auth.dto.js';
import { ANY_ROLE, type Actor } from '../auth/roles.js';
import { Clock } from '../common/clock.js';
import { AppConfig } from '../config/app-config.js';
import { DomainError, ForbiddenError, NotFoundError } from '../common/domain-error.js';
import { PageQuery } from '../common/pagination.js';
import { createValidationPipe } from '../common/validation.js';
import { MilestonesQuery } from '../milestones/dto/milestone.dto.js';
import { MilestonesService } from '../milestones/milestones.service.js';
import { NotificationsQuery } from '../notifications/dto/notification.dto.js';
import {
  NOTIFICATION_CHANNELS,
  NOTIFICATION_STATUSES,
} from '../notifications/notification.entity.js';
import { NotificationsService } from '../notifications/notifications.service.js';
import { ProgrammeHistoryQuery } from '../programmes/programme-history.query.js';
import { PHASES } from '../programmes/programme.constants.js';
import { ProgrammesQuery } from '../programmes/dto/programme.dto.js';
import { ProgrammesService } from '../programmes/programmes.service.js';
import { TransitionsService } from '../programmes/transitions.service.js';
import { ReportsService } from '../reports/reports.service.js';
import { StakeholdersService } from '../stakeholders/stakeholders.service.js';
import { StatusUpdatesService } from '../status-updates/status-updates.service.js';
import { PageErrorFilter } from './page-error.filter.js';
import { PageRenderer } from './page-renderer.js';
import { PortfolioQuery } from './portfolio.query.js';
import { WorkQueueQuery } from './work-queue.query.js';
import { renderWorldMap } from './world-map.js';

const PORTFOLIO_READERS = ['admin', 'itu_pm', 'regional_coordinator', 'observer'] as const;
const DECIDERS = ['admin', 'itu_pm', 'regional_coordinator'] as const;
const LOG_READERS = ['admin', 'itu_pm', 'regional_coordinator', 'national_team'] as const;
const validation = createValidationPipe();
const firstPage = (pageSize: number) => ({ page: 1, pageSize });

/**
 * Control characters, backslashes, and their percent-encodings: browsers drop tabs and line
 * breaks and read a backslash as a slash, so such an address can mean another site than it seems.
 */
// oxlint-disable-next-line no-control-regex -- finding control characters is its purpose
const UNSAFE_IN_NEXT = /[\u0000-\u001f\u007f\\]|%(?:[01][0-9a-f]|7f|5c)/i;

/**
 * Where to go back to after sign-in: `next` as the browser would resolve it against this site's
 * address, kept only when it stays on this site; anything else goes to the start page.
 */
function safeNext(next: unknown, publicUrl: string): string {
  if (typeof next !== 'string' || UNSAFE_IN_NEXT.test(next)) return '/';
  if (!URL.canParse(next, publicUrl)) return '/';
  const target = new URL(next, publicUrl);
  if (target.origin !== new URL(publicUrl).origin) return '/';
  return `${target.pathname}${target.search}${target.hash}`;
}

/**
 * Whether a form post came from this site's own pages: the browser's Sec-Fetch-Site where it sends
 * one, else the Origin header. Clients that send neither (curl, tests) are not browsers to protect.
 */
function isSameOrigin(request: FastifyRequest): boolean {
  const fetchSite = request.headers['sec-fetch-site'];
  if (fetchSite) return fetchSite === 'same-origin' || fetchSite === 'none';
  const origin = request.headers.origin;
  if (!origin) return true;
  return URL.canParse(origin) && new URL(origin).host === request.host;
}

/**
 * The web pages. They read through the same services and scope rules as the API; their forms
 * write through the API itself (see assets/app.js), signed in by the session cookie.
 */
@ApiExcludeController()
@UseFilters(PageErrorFilter)
@Controller()
export class PagesController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly auth: AuthService,
    private readonly config: AppConfig,
    private readonly policy: AccessPolicy,
    private readonly clock: Clock,
    private readonly portfolio: PortfolioQuery,
    private readonly workQueue: WorkQueueQuery,
    private readonly programmes: ProgrammesService,
    private readonly transitions: TransitionsService,
    private readonly history: ProgrammeHistoryQuery,
    private readonly milestones: MilestonesService,
    private readonly statusUpdates: StatusUpdatesService,
    private readonly stakeholders: StakeholdersService,
    private readonly assessments: AssessmentsService,
    private readonly templates: TemplatesService,
    private readonly reports: ReportsService,
    private readonly notifications: NotificationsService,
  ) {}

  @Get()
  @Roles(...ANY_ROLE)
  async home(@CurrentActor() actor: Actor, @Res() reply: FastifyReply): Promise<void> {
    const home =
      actor.user.role === 'national_team'
        ? `/app/countries/${actor.user.countryCode}`
        : '/app/portfolio';
    await reply.redirect(home, 303);
  }

  @Get('login')
  @Public()
  async loginForm(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const next = safeNext((request.query as { next?: unknown }).next, this.config.PUBLIC_URL);
    await this.pages.render(request, reply, 'login', { title: 'signIn', next, error: null }, null);
  }

  @Post('login')
  @Public()
  async login(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Body() body: Record<string, unknown>,
  ): Promise<void> {
    const next = safeNext(body?.next, this.config.PUBLIC_URL);
    if (!isSameOrigin(request)) {
      throw new ForbiddenError('cross_site_login', 'Sign in from this site');
    }
    try {
      const credentials: LoginDto = await validation.transform(
        { email: body?.email, password: body?.password },
        { type: 'body', metatype: LoginDto },
      );
      const session = await this.auth.login(
        credentials,
        { ip: request.ip, requestId: request.id },
        'page',
      );
      this.pages.startSession(reply, session.accessToken, session.expiresIn);
      await reply.redirect(next, 303);
    } catch (error) {
      if (!(error instanceof DomainError) || error.status >= 500) throw error;
      await this.pages.render(
        request,
        reply,
        'login',
        {
          title: 'signIn',
          next,
          error: error.status === 429 ? 'tooManyAttempts' : 'badCredentials',
        },
        null,
        error.status === 429 ? 429 : 401,
      );
    }
  }

  @Post('logout')
  @Roles(...ANY_ROLE)
  async logout(
    @CurrentActor() actor: Actor,
    @CurrentCredential() credential: Credential,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.auth.logout(actor, credential);
    this.pages.endSession(reply);
    await reply.redirect('/login', 303);
  }

  @Get('app/portfolio')
  @Roles(...PORTFOLIO_READERS)
  async portfolioPage(
    @CurrentActor() actor: Actor,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Query() rawQuery: Record<string, unknown>,
  ): Promise<void> {
    const lang = this.pages.language(request, actor.user);
    const { lang: _lang, ...filters } = rawQuery;
    const query: ProgrammesQuery = await validation.transform(
      { pageSize: 200, ...filters },
      { type: 'query', metatype: ProgrammesQuery },
    );
    const [countries, regions, programmes] = await Promise.all([
      this.portfolio.countries(actor.user, lang),
      this.portfolio.regions(actor.user, this.clock.now()),
      this.programmes.list(actor, query),
    ]);
    const perPhase = PHASES.map((phase) => ({
      phase,
      countries: countries.filter((country) => country.phase === phase).length,
    }));
    const map = renderWorldMap(
      countries.map((country) => ({
        code: country.code,
        phase: country.phase,
        href: `/app/countries/${country.code}`,
        label: `${country.name}`,
      })),
    );
    await this.pages.render(
      request,
      reply,
      'portfolio',
      { title: 'portfolio', countries, regions, programmes, perPhase, map, query, phases: PHASES },
      actor.user,
    );
  }

  @Get('app/queue')
  @Roles(...DECIDERS)
  async queuePage(
    @CurrentActor() actor: Actor,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const lang = this.pages.language(request, actor.user);
    const work = await this.workQueue.forUser(actor.user, lang, this.clock.now());
    await this.pages.render(request, reply, 'queue', { title: 'myQueue', ...work }, actor.user);
  }

  @Get('app/countries/:code')
  @Roles(...ANY_ROLE)
  async countryPage(
    @CurrentActor() actor: Actor,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('code') code: string,
    @Query('programme') programmeId?: string,
  ): Promise<void> {
    if (!/^[A-Z]{2}$/.test(code)) throw new NotFoundError(`Country ${code}`);
    const list = await this.programmes.list(
      actor,
      Object.assign(new ProgrammesQuery(), { country: code, ...firstPage(50) }),
    );
    if (list.items.length === 0) throw new NotFoundError(`Country ${code}`);
    const chosen =
      list.items.find((item) => item.id === programmeId) ??
      list.items.find((item) => item.cirtType === 'national') ??
      list.items[0];
    const id = chosen.id;
    // What this role may not read is not even fetched, so the page cannot show it.
    const may = {
      milestones: this.policy.mayRead(actor.user, 'milestones'),
      statusUpdates: this.policy.mayRead(actor.user, 'statusUpdates'),
      stakeholders: this.policy.mayRead(actor.user, 'stakeholders'),
      history: this.policy.mayRead(actor.user, 'audit'),
    };
    const [programme, transitions, history, milestones, updates, stakeholders, assessments] =
      await Promise.all([
        this.programmes.get(actor.user, id),
        this.transitions.list(actor, id),
        this.history.history(actor, id),
        may.milestones
          ? this.milestones.list(actor, id, Object.assign(new MilestonesQuery(), firstPage(200)))
          : null,
        may.statusUpdates
          ? this.statusUpdates.list(actor, id, Object.assign(new PageQuery(), firstPage(20)))
          : null,
        may.stakeholders ? this.stakeholders.list(actor, code) : null,
        this.assessments.listForProgramme(actor, id),
      ]);
    const latestValidated = assessments.find((assessment) => assessment.status === 'validated');
    const score = latestValidated ? await this.assessments.score(actor, latestValidated.id) : null;
    await this.pages.render(
      request,
      reply,
      'country',
      {
        title: programme.title,
        rawTitle: true,
        programmes: list.items,
        programme,
        canWrite: this.policy.canWrite(actor.user, {
          code: programme.countryCode,
          regionCode: programme.regionCode,
        }),
        transitions,
        phaseHistory: history.phases,
        events: may.history ? history.events : null,
        milestones: milestones?.items ?? null,
        updates: updates?.items ?? null,
        stakeholders,
        assessments,
        score,
        phases: PHASES,
      },
      actor.user,
    );
  }

  @Get('app/reports')
  @Roles(...PORTFOLIO_READERS)
  async reportsPage(
    @CurrentActor() actor: Actor,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const reports = await this.reports.list(
      actor.user,
      Object.assign(new PageQuery(), firstPage(50)),
    );
    await this.pages.render(
      request,
      reply,
      'reports',
      { title: 'reports', reports: reports.items },
      actor.user,
    );
  }

  @Get('app/assessments/:id')
  @Roles(...ANY_ROLE)
  async assessmentPage(
    @CurrentActor() actor: Actor,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<void> {
    const assessment = await this.assessments.get(actor, id);
    const programme = await this.programmes.get(actor.user, assessment.programmeId);
    const template = this.templates.get(assessment.templateKey, assessment.templateVersion);
    const role = actor.user.role;
    await this.pages.render(
      request,
      reply,
      'assessment',
      {
        title: template.title,
        rawTitle: true,
        assessment,
        programme,
        template,
        missing: 'responses' in assessment ? missingAnswers(template, assessment.responses) : [],
        editable:
          ['admin', 'itu_pm', 'national_team'].includes(role) &&
          ['draft', 'returned'].includes(assessment.status),
        reviewable: ['admin', 'itu_pm'].includes(role) && assessment.status === 'submitted',
      },
      actor.user,
    );
  }

  @Get('app/notifications')
  @Roles(...LOG_READERS)
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
        log,
        query,
        statuses: NOTIFICATION_STATUSES,
        channels: NOTIFICATION_CHANNELS,
        canRetry: ['admin', 'itu_pm'].includes(actor.user.role),
      },
      actor.user,
    );
  }
}
