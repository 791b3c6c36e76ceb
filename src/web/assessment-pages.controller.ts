import { Controller, Get, Param, ParseUUIDPipe, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { READ_RIGHTS } from '../auth/access-policy.js';
import { Roles } from '../auth/access.decorators.js';
import { CurrentActor } from '../auth/actor.decorator.js';
import type { Actor } from '../auth/roles.js';
import { AssessmentPageService } from './assessment-page.service.js';
import { PageErrorFilter } from './page-error.filter.js';
import { PageRenderer } from './page-renderer.js';

/** An assessment's questionnaire: answered by the country's team, reviewed by the ITU. */
@ApiExcludeController()
@UseFilters(PageErrorFilter)
@Controller('app/assessments')
export class AssessmentPagesController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly assessment: AssessmentPageService,
  ) {}

  @Get(':id')
  @Roles(...READ_RIGHTS.assessments)
  async assessmentPage(
    @CurrentActor() actor: Actor,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<void> {
    const view = await this.assessment.view(actor, id, this.pages.language(request, actor.user));
    await this.pages.render(request, reply, 'assessment', view, actor.user);
  }
}
