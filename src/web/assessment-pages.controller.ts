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
import { AssessmentsService } from '../assessments/assessments.service.js';
import { AnswerDto, ReturnAssessmentDto } from '../assessments/dto/assessment.dto.js';
import { IndicatorKeyPipe } from '../assessments/indicator-key.pipe.js';
import { Body } from '../common/body.decorator.js';
import { AssessmentPageService } from './assessment-page.service.js';
import { PageErrorFilter } from './page-error.filter.js';
import { type PageForm, PageForms } from './page-forms.js';
import { PageRenderer } from './page-renderer.js';

/** An assessment's questionnaire: answered by the country's team, reviewed by the ITU. */
@ApiExcludeController()
@UseFilters(PageErrorFilter)
@Controller('app/assessments')
export class AssessmentPagesController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly forms: PageForms,
    private readonly assessment: AssessmentPageService,
    private readonly assessments: AssessmentsService,
  ) {}

  @Get(':id')
  @Roles(...READ_RIGHTS.assessments)
  async assessmentPage(
    @CurrentActor() actor: Actor,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('id', ParseUUIDPipe) id: string,
    /** The area to show open: the key of one of the questionnaire's areas. */
    @Query('open') open: unknown,
  ): Promise<void> {
    const view = await this.assessment.view(
      actor,
      id,
      this.pages.language(request, actor.user),
      typeof open === 'string' ? open : undefined,
    );
    await this.pages.render(request, reply, 'assessment', view, actor.user);
  }

  /** An answer posted without the page's script, which saves answers through the API. */
  @Post(':id/responses/:indicatorKey')
  @Roles(...ACTION_RIGHTS.answerAssessments)
  async answer(
    @CurrentActor() actor: Actor,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('indicatorKey', IndicatorKeyPipe) indicatorKey: string,
    @Body() body: unknown,
  ): Promise<void> {
    await this.forms.submit(request, reply, actor, body, {
      // Back to the answered indicator, its area open.
      ...this.questionnaireForm(actor, request, id, `indicator-${indicatorKey}`, indicatorKey),
      dto: AnswerDto,
      kinds: { level: 'levelOrNull', evidence: 'lines', evidenceDocuments: 'list' },
      action: (input) => this.assessments.answer(actor, id, indicatorKey, input),
      done: 'done.answerSaved',
      confirmAt: 'form',
    });
  }

  @Post(':id/submit')
  @Roles(...ACTION_RIGHTS.answerAssessments)
  async submit(
    @CurrentActor() actor: Actor,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<void> {
    await this.forms.submit(request, reply, actor, undefined, {
      ...this.questionnaireForm(actor, request, id, 'submit-assessment'),
      action: () => this.assessments.submit(actor, id),
      done: 'done.assessmentSubmitted',
    });
  }

  @Post(':id/validate')
  @Roles(...ACTION_RIGHTS.reviewAssessments)
  async validate(
    @CurrentActor() actor: Actor,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<void> {
    await this.forms.submit(request, reply, actor, undefined, {
      ...this.questionnaireForm(actor, request, id, 'validate-assessment'),
      action: () => this.assessments.validate(actor, id),
      done: 'done.assessmentValidated',
    });
  }

  @Post(':id/return')
  @Roles(...ACTION_RIGHTS.reviewAssessments)
  async returnForChanges(
    @CurrentActor() actor: Actor,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: unknown,
  ): Promise<void> {
    await this.forms.submit(request, reply, actor, body, {
      ...this.questionnaireForm(actor, request, id, 'return-assessment'),
      dto: ReturnAssessmentDto,
      action: (input) => this.assessments.returnForChanges(actor, id, input.note),
      done: 'done.assessmentReturned',
    });
  }

  /** A questionnaire form goes back to the questionnaire, shown again when refused. */
  private questionnaireForm(
    actor: Actor,
    request: FastifyRequest,
    id: string,
    formId: string,
    /** The area to show open, or an indicator whose area to open. */
    open?: string,
  ): Pick<PageForm<unknown>, 'id' | 'back' | 'page'> {
    return {
      id: formId,
      back: `/app/assessments/${id}${open ? `?open=${encodeURIComponent(open)}` : ''}`,
      page: async () => ({
        view: 'assessment',
        data: await this.assessment.view(actor, id, this.pages.language(request, actor.user), open),
      }),
    };
  }
}
