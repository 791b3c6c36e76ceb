import {
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import { Body } from '../common/body.decorator.js';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ApiFileResponse, ApiProblems, pageOf } from '../common/openapi.js';
import type { Page } from '../common/pagination.js';
import type { FastifyReply } from 'fastify';
import { ACTION_RIGHTS, READ_RIGHTS } from '../auth/access-policy.js';
import { Roles } from '../auth/access.decorators.js';
import { CurrentActor } from '../auth/actor.decorator.js';
import type { Actor } from '../auth/roles.js';
import { PageQuery } from '../common/pagination.js';
import { RateLimit } from '../common/throttling.js';
import {
  CreateReportDto,
  CreateReportScheduleDto,
  DownloadQuery,
  PauseReportScheduleDto,
  ReassignReportScheduleDto,
  ReportAcceptedResponse,
  ReportResponse,
  ReportScheduleResponse,
} from './dto/report.dto.js';
import { ReportSchedulesService } from './report-schedules.service.js';
import { ReportsService } from './reports.service.js';

/** Who pauses, resumes and reassigns the schedules of others. */
const SCHEDULE_MANAGERS = ACTION_RIGHTS.manageReportSchedules;

@ApiTags('reports')
@ApiBearerAuth()
@Controller('reports')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  @ApiOperation({ summary: 'Request a report; it is compiled on a worker' })
  @ApiAcceptedResponse({ type: ReportAcceptedResponse })
  @ApiProblems(400, 401, 403, 429)
  @Post()
  @HttpCode(202)
  @Roles(...ACTION_RIGHTS.requestReports)
  @RateLimit('reports')
  request(
    @CurrentActor() actor: Actor,
    @Body() dto: CreateReportDto,
  ): Promise<ReportAcceptedResponse> {
    return this.reports.request(actor, dto);
  }

  @ApiOperation({ summary: 'Reports in the caller’s scope, newest first' })
  @ApiOkResponse({ type: pageOf(ReportResponse) })
  @ApiProblems(400, 401, 403)
  @Get()
  @Roles(...READ_RIGHTS.reports)
  list(@CurrentActor() actor: Actor, @Query() query: PageQuery): Promise<Page<ReportResponse>> {
    return this.reports.list(actor.user, query);
  }

  @ApiOperation({ summary: 'One report: status, progress and summary' })
  @ApiOkResponse({ type: ReportResponse })
  @ApiProblems(400, 401, 403, 404)
  @Get(':id')
  @Roles(...READ_RIGHTS.reports)
  get(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<ReportResponse> {
    return this.reports.get(actor.user, id);
  }

  @ApiOperation({ summary: 'Download a completed report in one format' })
  @ApiFileResponse('The file, as an attachment', [
    'application/json',
    'text/csv',
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    'application/pdf',
  ])
  @ApiProblems(400, 401, 403, 404)
  @Get(':id/download')
  @Roles(...READ_RIGHTS.reports)
  async download(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: DownloadQuery,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const file = await this.reports.file(actor.user, id, query.format);
    await reply
      .header('content-type', file.contentType)
      .header('content-disposition', `attachment; filename="${file.fileName}"`)
      .send(file.content);
  }
}

/** Schedules hold recipients' addresses, so observers do not read them. */
@ApiTags('reports')
@ApiBearerAuth()
@Controller('report-schedules')
export class ReportSchedulesController {
  constructor(private readonly schedules: ReportSchedulesService) {}

  @ApiOperation({ summary: 'Schedule a recurring report, e-mailed to its recipients' })
  @ApiCreatedResponse({ type: ReportScheduleResponse })
  @ApiProblems(400, 401, 403, 409)
  @Post()
  @Roles(...ACTION_RIGHTS.requestReports)
  create(
    @CurrentActor() actor: Actor,
    @Body() dto: CreateReportScheduleDto,
  ): Promise<ReportScheduleResponse> {
    return this.schedules.create(actor, dto);
  }

  @ApiOperation({ summary: 'Report schedules in the caller’s scope' })
  @ApiOkResponse({ type: pageOf(ReportScheduleResponse) })
  @ApiProblems(400, 401, 403)
  @Get()
  @Roles(...ACTION_RIGHTS.requestReports)
  list(
    @CurrentActor() actor: Actor,
    @Query() query: PageQuery,
  ): Promise<Page<ReportScheduleResponse>> {
    return this.schedules.list(actor.user, query);
  }

  @ApiOperation({ summary: 'One report schedule with its next run' })
  @ApiOkResponse({ type: ReportScheduleResponse })
  @ApiProblems(400, 401, 403, 404)
  @Get(':id')
  @Roles(...ACTION_RIGHTS.requestReports)
  get(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<ReportScheduleResponse> {
    return this.schedules.get(actor.user, id);
  }

  @ApiOperation({ summary: 'Pause a running schedule until it is resumed, saying why' })
  @ApiOkResponse({ type: ReportScheduleResponse })
  @ApiProblems(400, 401, 403, 404, 409)
  @Post(':id/pause')
  @HttpCode(200)
  @Roles(...SCHEDULE_MANAGERS)
  pause(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: PauseReportScheduleDto,
  ): Promise<ReportScheduleResponse> {
    return this.schedules.pauseByHand(actor, id, dto.reason);
  }

  @ApiOperation({ summary: 'Resume a paused schedule whose owner covers its scope again' })
  @ApiOkResponse({ type: ReportScheduleResponse })
  @ApiProblems(400, 401, 403, 404, 409, 422)
  @Post(':id/resume')
  @HttpCode(200)
  @Roles(...SCHEDULE_MANAGERS)
  resume(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<ReportScheduleResponse> {
    return this.schedules.resume(actor, id);
  }

  @ApiOperation({ summary: 'Give a schedule to another user who covers its scope' })
  @ApiOkResponse({ type: ReportScheduleResponse })
  @ApiProblems(400, 401, 403, 404, 409, 422)
  @Post(':id/reassign')
  @HttpCode(200)
  @Roles(...SCHEDULE_MANAGERS)
  reassign(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: ReassignReportScheduleDto,
  ): Promise<ReportScheduleResponse> {
    return this.schedules.reassign(actor, id, dto.userId);
  }

  @ApiOperation({ summary: 'Delete a schedule; the reports it made stay' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiProblems(400, 401, 403, 404)
  @Delete(':id')
  @HttpCode(204)
  @Roles(...ACTION_RIGHTS.requestReports)
  async remove(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<void> {
    await this.schedules.remove(actor, id);
  }
}
