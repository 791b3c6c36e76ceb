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
import { ACTION_RIGHTS, READ_RIGHTS } from '../auth/access-policy.js';
import { Roles } from '../auth/access.decorators.js';
import { CurrentActor } from '../auth/actor.decorator.js';
import type { Actor } from '../auth/roles.js';
import { Body } from '../common/body.decorator.js';
import { Clock } from '../common/clock.js';
import { milestoneTitle } from '../milestones/milestone-title.js';
import { ProgrammesQuery } from '../programmes/dto/programme.dto.js';
import {
  ApproveTransitionDto,
  type GateResultResponse,
  RejectTransitionDto,
} from '../programmes/dto/transition.dto.js';
import { TransitionsService } from '../programmes/transitions.service.js';
import { gateCheckText } from './gate-check-text.js';
import { translator } from './i18n.js';
import { PageErrorFilter } from './page-error.filter.js';
import { type PageForm, PageForms, pageQuery } from './page-forms.js';
import { PageRenderer } from './page-renderer.js';
import { PortfolioPageService } from './portfolio-page.service.js';
import { WorkQueueQuery } from './work-queue.query.js';

/** The programme table's page: light enough for a slow line, the rest a link away. */
const PROGRAMMES_PER_PAGE = 50;

/** The portfolio of those who follow many countries, and the queue of what they decide. */
@ApiExcludeController()
@UseFilters(PageErrorFilter)
@Controller('app')
export class PortfolioPagesController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly forms: PageForms,
    private readonly portfolio: PortfolioPageService,
    private readonly transitions: TransitionsService,
    private readonly workQueue: WorkQueueQuery,
    private readonly clock: Clock,
  ) {}

  @Get('portfolio')
  @Roles(...READ_RIGHTS.portfolio)
  async portfolioPage(
    @CurrentActor() actor: Actor,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Query() rawQuery: Record<string, unknown>,
  ): Promise<void> {
    const query = await pageQuery(rawQuery, ProgrammesQuery, { pageSize: PROGRAMMES_PER_PAGE });
    const lang = this.pages.language(request, actor.user);
    const view = await this.portfolio.view(actor, lang, query);
    await this.pages.render(request, reply, 'portfolio', view, actor.user);
  }

  @Get('queue')
  @Roles(...ACTION_RIGHTS.decideTransitions)
  async queuePage(
    @CurrentActor() actor: Actor,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const { view, data } = await this.queue(actor, request);
    await this.pages.render(request, reply, view, data, actor.user);
  }

  @Post('queue/transitions/:id/approve')
  @Roles(...ACTION_RIGHTS.decideTransitions)
  async approve(
    @CurrentActor() actor: Actor,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: unknown,
  ): Promise<void> {
    await this.forms.submit(request, reply, actor, body, {
      ...this.decisionForm(actor, request, id),
      dto: ApproveTransitionDto,
      action: (input) => this.transitions.approve(actor, id, input),
      done: 'done.transitionApproved',
    });
  }

  @Post('queue/transitions/:id/reject')
  @Roles(...ACTION_RIGHTS.decideTransitions)
  async reject(
    @CurrentActor() actor: Actor,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: unknown,
  ): Promise<void> {
    await this.forms.submit(request, reply, actor, body, {
      ...this.decisionForm(actor, request, id),
      dto: RejectTransitionDto,
      action: (input) => this.transitions.reject(actor, id, input.note),
      done: 'done.transitionRejected',
    });
  }

  /** A decision's form goes back to the queue, shown again when refused. */
  private decisionForm(
    actor: Actor,
    request: FastifyRequest,
    transitionId: string,
  ): Pick<PageForm<unknown>, 'id' | 'back' | 'page'> {
    return {
      id: `decide-${transitionId}`,
      back: '/app/queue',
      page: () => this.queue(actor, request),
    };
  }

  private async queue(actor: Actor, request: FastifyRequest) {
    const lang = this.pages.language(request, actor.user);
    const work = await this.workQueue.forUser(actor.user, lang, this.clock.now());
    const t = translator(lang);
    return {
      view: 'queue',
      data: {
        title: 'myQueue',
        ...work,
        transitions: work.transitions.map(
          (transition: { countryName: string; gate: GateResultResponse | null }) => ({
            ...transition,
            gateTexts: (transition.gate?.checks ?? []).map((check) => ({
              passed: check.passed,
              text: gateCheckText(check, lang, t, transition.countryName),
            })),
          }),
        ),
        overdue: work.overdue.map((milestone: { title: string; planKey: string | null }) => ({
          ...milestone,
          titleText: milestoneTitle(milestone, lang),
        })),
      },
    };
  }
}
