import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Put, Query } from '@nestjs/common';
import { Body } from '../common/body.decorator.js';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ApiProblems } from '../common/openapi.js';
import { ACTION_RIGHTS, READ_RIGHTS } from '../auth/access-policy.js';
import { Roles } from '../auth/access.decorators.js';
import { CurrentActor } from '../auth/actor.decorator.js';
import { ANY_ROLE, type Actor } from '../auth/roles.js';
import { AssessmentTrendService } from './assessment-trend.service.js';
import { AssessmentsService } from './assessments.service.js';
import {
  AnswerDto,
  AnswerResponse,
  AssessmentDetailResponse,
  AssessmentSummaryResponse,
  CreateAssessmentDto,
  ReturnAssessmentDto,
  ScoreResponse,
  TemplateResponse,
  TemplateSummaryResponse,
  TrendQuery,
  TrendResponse,
} from './dto/assessment.dto.js';
import { IndicatorKeyPipe } from './indicator-key.pipe.js';
import { TemplatesService } from './templates.service.js';

@ApiTags('assessments')
@ApiBearerAuth()
@Controller()
export class AssessmentsController {
  constructor(
    private readonly assessments: AssessmentsService,
    private readonly trends: AssessmentTrendService,
    private readonly templates: TemplatesService,
  ) {}

  @ApiOperation({ summary: 'The published assessment templates' })
  @ApiOkResponse({ type: [TemplateSummaryResponse] })
  @ApiProblems(401)
  @Get('assessment-templates')
  @Roles(...ANY_ROLE)
  listTemplates(): TemplateSummaryResponse[] {
    return this.templates.list().map(({ key, version, kind, title, publishedAt }) => ({
      key,
      version,
      kind,
      title,
      publishedAt,
    }));
  }

  @ApiOperation({ summary: 'One template version: areas and indicators' })
  @ApiOkResponse({ type: TemplateResponse })
  @ApiProblems(400, 401, 404)
  @Get('assessment-templates/:key/:version')
  @Roles(...ANY_ROLE)
  getTemplate(
    @Param('key', IndicatorKeyPipe) key: string,
    @Param('version', IndicatorKeyPipe) version: string,
  ): TemplateResponse {
    return this.templates.get(key, version);
  }

  @ApiOperation({ summary: 'Start a draft assessment pinned to a template version' })
  @ApiCreatedResponse({ type: AssessmentSummaryResponse })
  @ApiProblems(400, 401, 403, 404, 409)
  @Post('programmes/:id/assessments')
  @Roles(...ACTION_RIGHTS.answerAssessments)
  create(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) programmeId: string,
    @Body() dto: CreateAssessmentDto,
  ): Promise<AssessmentSummaryResponse> {
    return this.assessments.create(actor, programmeId, dto);
  }

  @ApiOperation({ summary: "A programme's assessments, newest first" })
  @ApiOkResponse({ type: [AssessmentSummaryResponse] })
  @ApiProblems(400, 401, 403, 404)
  @Get('programmes/:id/assessments')
  @Roles(...READ_RIGHTS.assessments)
  list(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) programmeId: string,
  ): Promise<AssessmentSummaryResponse[]> {
    return this.assessments.listForProgramme(actor, programmeId);
  }

  @ApiOperation({ summary: 'Area scores of the validated assessments over time' })
  @ApiOkResponse({ type: TrendResponse })
  @ApiProblems(400, 401, 403, 404)
  @Get('programmes/:id/assessments/trend')
  @Roles(...READ_RIGHTS.assessments)
  trend(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) programmeId: string,
    @Query() query: TrendQuery,
  ): Promise<TrendResponse> {
    return this.trends.trend(actor, programmeId, query.kind);
  }

  @ApiOperation({ summary: 'One assessment, with its responses for those who may read them' })
  @ApiOkResponse({ type: AssessmentDetailResponse })
  @ApiProblems(400, 401, 403, 404)
  @Get('assessments/:id')
  @Roles(...READ_RIGHTS.assessments)
  get(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<AssessmentDetailResponse> {
    return this.assessments.get(actor, id);
  }

  @ApiOperation({ summary: "An assessment's score, band, area scores and gaps" })
  @ApiOkResponse({ type: ScoreResponse })
  @ApiProblems(400, 401, 403, 404)
  @Get('assessments/:id/score')
  @Roles(...READ_RIGHTS.assessments)
  score(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<ScoreResponse> {
    return this.assessments.score(actor, id);
  }

  @ApiOperation({ summary: 'Answer one indicator of a draft or returned assessment' })
  @ApiOkResponse({ type: AnswerResponse })
  @ApiProblems(400, 401, 403, 404, 409)
  @Put('assessments/:id/responses/:indicatorKey')
  @Roles(...ACTION_RIGHTS.answerAssessments)
  answer(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('indicatorKey', IndicatorKeyPipe) indicatorKey: string,
    @Body() dto: AnswerDto,
  ): Promise<AnswerResponse> {
    return this.assessments.answer(actor, id, indicatorKey, dto);
  }

  @ApiOperation({ summary: 'Submit an assessment for validation' })
  @ApiOkResponse({ type: AssessmentSummaryResponse })
  @ApiProblems(400, 401, 403, 404, 409, 422)
  @Post('assessments/:id/submit')
  @HttpCode(200)
  @Roles(...ACTION_RIGHTS.answerAssessments)
  submit(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<AssessmentSummaryResponse> {
    return this.assessments.submit(actor, id);
  }

  @ApiOperation({ summary: 'Validate a submitted assessment, freezing it' })
  @ApiOkResponse({ type: AssessmentSummaryResponse })
  @ApiProblems(400, 401, 403, 404, 409)
  @Post('assessments/:id/validate')
  @HttpCode(200)
  @Roles(...ACTION_RIGHTS.reviewAssessments)
  validate(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<AssessmentSummaryResponse> {
    return this.assessments.validate(actor, id);
  }

  @ApiOperation({ summary: 'Return a submitted assessment to the national team with a note' })
  @ApiOkResponse({ type: AssessmentSummaryResponse })
  @ApiProblems(400, 401, 403, 404, 409)
  @Post('assessments/:id/return')
  @HttpCode(200)
  @Roles(...ACTION_RIGHTS.reviewAssessments)
  returnForChanges(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: ReturnAssessmentDto,
  ): Promise<AssessmentSummaryResponse> {
    return this.assessments.returnForChanges(actor, id, dto.note);
  }
}
