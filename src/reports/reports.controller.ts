import {
  Body,
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
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
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
  ReassignReportScheduleDto,
} from './dto/report.dto.js';
import { ReportSchedulesService } from './report-schedules.service.js';
import { ReportsService } from './reports.service.js';

/** Who resumes and reassigns the schedules of others. */
const SCHEDULE_MANAGERS = ['admin', 'itu_pm'] as const;

@ApiTags('reports')
@ApiBearerAuth()
@Controller('reports')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  @Post()
  @HttpCode(202)
  @Roles(...ACTION_RIGHTS.requestReports)
  @RateLimit('reports')
  request(@CurrentActor() actor: Actor, @Body() dto: CreateReportDto) {
    return this.reports.request(actor, dto);
  }

  @Get()
  @Roles(...READ_RIGHTS.reports)
  list(@CurrentActor() actor: Actor, @Query() query: PageQuery) {
    return this.reports.list(actor.user, query);
  }

  @Get(':id')
  @Roles(...READ_RIGHTS.reports)
  get(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string) {
    return this.reports.get(actor.user, id);
  }

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

  @Post()
  @Roles(...ACTION_RIGHTS.requestReports)
  create(@CurrentActor() actor: Actor, @Body() dto: CreateReportScheduleDto) {
    return this.schedules.create(actor, dto);
  }

  @Get()
  @Roles(...ACTION_RIGHTS.requestReports)
  list(@CurrentActor() actor: Actor, @Query() query: PageQuery) {
    return this.schedules.list(actor.user, query);
  }

  @Get(':id')
  @Roles(...ACTION_RIGHTS.requestReports)
  get(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string) {
    return this.schedules.get(actor.user, id);
  }

  @Post(':id/resume')
  @HttpCode(200)
  @Roles(...SCHEDULE_MANAGERS)
  resume(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string) {
    return this.schedules.resume(actor, id);
  }

  @Post(':id/reassign')
  @HttpCode(200)
  @Roles(...SCHEDULE_MANAGERS)
  reassign(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: ReassignReportScheduleDto,
  ) {
    return this.schedules.reassign(actor, id, dto.userId);
  }

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
