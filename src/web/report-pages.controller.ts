import { Controller, Get, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AccessPolicy, READ_RIGHTS } from '../auth/access-policy.js';
import { Roles } from '../auth/access.decorators.js';
import { CurrentActor } from '../auth/actor.decorator.js';
import type { Actor, Principal } from '../auth/roles.js';
import { PageQuery } from '../common/pagination.js';
import { REGION_CODES } from '../countries/regions.js';
import { ReportsService } from '../reports/reports.service.js';
import { PageErrorFilter } from './page-error.filter.js';
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
    const reports = await this.reports.list(
      actor.user,
      Object.assign(new PageQuery(), { page: 1, pageSize: 50 }),
    );
    await this.pages.render(
      request,
      reply,
      'reports',
      { title: 'reports', reports: reports.items, requestForm: this.requestForm(actor.user) },
      actor.user,
    );
  }

  private requestForm(user: Principal): ReportRequestForm {
    if (!this.policy.mayDo(user, 'requestReports')) return null;
    const scope = this.policy.readScope(user);
    if (scope.kind === 'region') return { fixedRegion: scope.regionCode };
    return scope.kind === 'all' ? { regionChoices: REGION_CODES } : null;
  }
}
