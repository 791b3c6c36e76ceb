import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Put,
  Query,
} from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ACTION_RIGHTS, READ_RIGHTS } from '../auth/access-policy.js';
import { Roles } from '../auth/access.decorators.js';
import { CurrentActor } from '../auth/actor.decorator.js';
import { ANY_ROLE, type Actor } from '../auth/roles.js';
import { AssessmentTrendService } from './assessment-trend.service.js';
import { AssessmentsService } from './assessments.service.js';
import {
  AnswerDto,
  CreateAssessmentDto,
  ReturnAssessmentDto,
  TrendQuery,
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

  @Get('assessment-templates')
  @Roles(...ANY_ROLE)
  listTemplates() {
    return this.templates.list().map(({ key, version, kind, title, publishedAt }) => ({
      key,
      version,
      kind,
      title,
      publishedAt,
    }));
  }

  @Get('assessment-templates/:key/:version')
  @Roles(...ANY_ROLE)
  getTemplate(
    @Param('key', IndicatorKeyPipe) key: string,
    @Param('version', IndicatorKeyPipe) version: string,
  ) {
    return this.templates.get(key, version);
  }

  @Post('programmes/:id/assessments')
  @Roles(...ACTION_RIGHTS.answerAssessments)
  create(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) programmeId: string,
    @Body() dto: CreateAssessmentDto,
  ) {
    return this.assessments.create(actor, programmeId, dto);
  }

  @Get('programmes/:id/assessments')
  @Roles(...READ_RIGHTS.assessments)
  list(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) programmeId: string) {
    return this.assessments.listForProgramme(actor, programmeId);
  }

  @Get('programmes/:id/assessments/trend')
  @Roles(...READ_RIGHTS.assessments)
  trend(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) programmeId: string,
    @Query() query: TrendQuery,
  ) {
    return this.trends.trend(actor, programmeId, query.kind);
  }

  @Get('assessments/:id')
  @Roles(...READ_RIGHTS.assessments)
  get(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string) {
    return this.assessments.get(actor, id);
  }

  @Get('assessments/:id/score')
  @Roles(...READ_RIGHTS.assessments)
  score(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string) {
    return this.assessments.score(actor, id);
  }

  @Put('assessments/:id/responses/:indicatorKey')
  @Roles(...ACTION_RIGHTS.answerAssessments)
  answer(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('indicatorKey', IndicatorKeyPipe) indicatorKey: string,
    @Body() dto: AnswerDto,
  ) {
    return this.assessments.answer(actor, id, indicatorKey, dto);
  }

  @Post('assessments/:id/submit')
  @HttpCode(200)
  @Roles(...ACTION_RIGHTS.answerAssessments)
  submit(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string) {
    return this.assessments.submit(actor, id);
  }

  @Post('assessments/:id/validate')
  @HttpCode(200)
  @Roles(...ACTION_RIGHTS.reviewAssessments)
  validate(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string) {
    return this.assessments.validate(actor, id);
  }

  @Post('assessments/:id/return')
  @HttpCode(200)
  @Roles(...ACTION_RIGHTS.reviewAssessments)
  returnForChanges(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: ReturnAssessmentDto,
  ) {
    return this.assessments.returnForChanges(actor, id, dto.note);
  }
}
