import { Controller, Get, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ACTION_RIGHTS, READ_RIGHTS } from '../auth/access-policy.js';
import { Roles } from '../auth/access.decorators.js';
import { CurrentActor } from '../auth/actor.decorator.js';
import type { Actor } from '../auth/roles.js';
import { Clock } from '../common/clock.js';
import { createValidationPipe } from '../common/validation.js';
import { milestoneTitle } from '../milestones/milestone-title.js';
import { ProgrammesQuery } from '../programmes/dto/programme.dto.js';
import type { GateResultResponse } from '../programmes/dto/transition.dto.js';
import { gateCheckText } from './gate-check-text.js';
import { translator } from './i18n.js';
import { PageErrorFilter } from './page-error.filter.js';
import { PageRenderer } from './page-renderer.js';
import { PortfolioPageService } from './portfolio-page.service.js';
import { WorkQueueQuery } from './work-queue.query.js';

const validation = createValidationPipe();

/** The portfolio of those who follow many countries, and the queue of what they decide. */
@ApiExcludeController()
@UseFilters(PageErrorFilter)
@Controller('app')
export class PortfolioPagesController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly portfolio: PortfolioPageService,
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
    const { lang: _lang, ...filters } = rawQuery;
    const query: ProgrammesQuery = await validation.transform(
      { pageSize: 200, ...filters },
      { type: 'query', metatype: ProgrammesQuery },
    );
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
    const lang = this.pages.language(request, actor.user);
    const work = await this.workQueue.forUser(actor.user, lang, this.clock.now());
    const t = translator(lang);
    await this.pages.render(
      request,
      reply,
      'queue',
      {
        title: 'myQueue',
        ...work,
        // A request is decided by someone other than its requester (TransitionsService refuses).
        transitions: work.transitions.map(
          (transition: {
            requestedBy: string;
            countryName: string;
            gate: GateResultResponse | null;
          }) => ({
            ...transition,
            mayDecide: transition.requestedBy !== actor.user.id,
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
      actor.user,
    );
  }
}
