import { Controller, Get, Post, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ACTION_RIGHTS, AccessPolicy, READ_RIGHTS } from '../auth/access-policy.js';
import { Roles } from '../auth/access.decorators.js';
import { CurrentActor } from '../auth/actor.decorator.js';
import type { Actor, Principal } from '../auth/roles.js';
import { Body } from '../common/body.decorator.js';
import { PageQuery } from '../common/pagination.js';
import { REGION_CODES } from '../countries/regions.js';
import { CreateReportDto } from '../reports/dto/report.dto.js';
import { ReportsService } from '../reports/reports.service.js';
import { PageErrorFilter } from './page-error.filter.js';
import { PageForms } from './page-forms.js';
import { PageRenderer } from './page-renderer.js';

/** The form to ask for a report: on the one region a user covers, or on a region they choose. */
type ReportRequestForm = { fixedRegion: string } | { regionChoices: readonly string[] } | null;

/** The reports page: earlier reports in scope, and the request form for those who may ask. */
@ApiExcludeController()
@UseFilters(PageErrorFilter)
@Controller('app/reports')
export class ReportPagesController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly forms: PageForms,
    private readonly reports: ReportsService,
    private readonly policy: AccessPolicy,
  ) {}

  @Get()
  @Roles(...READ_RIGHTS.reports)
  async reportsPage(
    @CurrentActor() actor: Actor,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const { view, data } = await this.page(actor, request);
    await this.pages.render(request, reply, view, data, actor.user);
  }

  @Post()
  @Roles(...ACTION_RIGHTS.requestReports)
  async requestReport(
    @CurrentActor() actor: Actor,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Body() body: unknown,
  ): Promise<void> {
    await this.forms.submit(request, reply, actor, body, {
      id: 'report-request',
      dto: CreateReportDto,
      kinds: { formats: 'list' },
      action: (input) => this.reports.request(actor, input),
      done: 'done.reportRequested',
      back: '/app/reports',
      page: () => this.page(actor, request),
    });
  }

  private async page(actor: Actor, request: FastifyRequest) {
    const reports = await this.reports.list(
      actor.user,
      Object.assign(new PageQuery(), { page: 1, pageSize: 50 }),
    );
    // What each report covers in words, as its files say it: a region, countries by name, all.
    const texts = await this.reports.texts(
      this.pages.language(request, actor.user),
      reports.items.flatMap((report) => report.scope.countryCodes ?? []),
    );
    return {
      view: 'reports',
      data: {
        title: 'reports',
        reports: reports.items.map((report) => ({
          ...report,
          scopeText: report.scope.regionCode
            ? texts.region(report.scope.regionCode)
            : texts.scope(report.scope),
        })),
        requestForm: this.requestForm(actor.user),
      },
    };
  }

  private requestForm(user: Principal): ReportRequestForm {
    if (!this.policy.mayDo(user, 'requestReports')) return null;
    const scope = this.policy.readScope(user);
    if (scope.kind === 'region') return { fixedRegion: scope.regionCode };
    return scope.kind === 'all' ? { regionChoices: REGION_CODES } : null;
  }
}
