import { BullModule, Processor, WorkerHost } from '@nestjs/bullmq';
import {
  Body,
  Controller,
  Get,
  HttpCode,
  Module,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Job } from 'bullmq';
import type { FastifyReply } from 'fastify';
import { Roles } from '../auth/access.decorators.js';
import { CurrentActor } from '../auth/actor.decorator.js';
import type { Actor } from '../auth/roles.js';
import { PageQuery } from '../common/pagination.js';
import { recurringJobs } from '../queues/job-schedule.js';
import { QueueName, ReportJob } from '../queues/queue-names.js';
import { CreateReportDto, DownloadQuery } from './dto/report.dto.js';
import { ReportCompiler } from './report-compiler.service.js';
import { ReportDataQuery } from './report-data.query.js';
import { ReportsService } from './reports.service.js';

const REQUESTERS = ['admin', 'itu_pm', 'regional_coordinator'] as const;
const READERS = ['admin', 'itu_pm', 'regional_coordinator', 'observer'] as const;

@Processor(QueueName.Reports, { runRetryDelay: 2_000 })
export class ReportsProcessor extends WorkerHost {
  constructor(
    private readonly compiler: ReportCompiler,
    private readonly reports: ReportsService,
  ) {
    super();
  }

  async process(job: Job<{ reportId?: string }>): Promise<void> {
    if (job.name === ReportJob.Relay) await this.reports.relayQueued();
    else await this.compiler.compile(job.data.reportId!);
  }
}

@ApiTags('reports')
@ApiBearerAuth()
@Controller('reports')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  @Post()
  @HttpCode(202)
  @Roles(...REQUESTERS)
  request(@CurrentActor() actor: Actor, @Body() dto: CreateReportDto) {
    return this.reports.request(actor, dto);
  }

  @Get()
  @Roles(...READERS)
  list(@CurrentActor() actor: Actor, @Query() query: PageQuery) {
    return this.reports.list(actor.user, query);
  }

  @Get(':id')
  @Roles(...READERS)
  get(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string) {
    return this.reports.get(actor.user, id);
  }

  @Get(':id/download')
  @Roles(...READERS)
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

@Module({
  imports: [
    BullModule.registerQueue({
      name: QueueName.Reports,
      defaultJobOptions: {
        attempts: 3,
        backoff: { type: 'exponential', delay: 5_000 },
        removeOnComplete: true,
        removeOnFail: 100,
      },
    }),
  ],
  controllers: [ReportsController],
  providers: [
    ReportsService,
    ReportCompiler,
    ReportDataQuery,
    ReportsProcessor,
    recurringJobs(QueueName.Reports, () => [{ name: ReportJob.Relay, every: 10_000 }]),
  ],
})
export class ReportsModule {}
