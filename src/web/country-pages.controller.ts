import { Controller, Get, Param, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { READ_RIGHTS } from '../auth/access-policy.js';
import { Roles } from '../auth/access.decorators.js';
import { CurrentActor } from '../auth/actor.decorator.js';
import type { Actor } from '../auth/roles.js';
import { CountryPageService } from './country-page.service.js';
import { PageErrorFilter } from './page-error.filter.js';
import { PageRenderer } from './page-renderer.js';

/** A country's workspace: its programmes, phase, milestones, updates, assessments and people. */
@ApiExcludeController()
@UseFilters(PageErrorFilter)
@Controller('app/countries')
export class CountryPagesController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly country: CountryPageService,
  ) {}

  @Get(':code')
  @Roles(...READ_RIGHTS.programmes)
  async countryPage(
    @CurrentActor() actor: Actor,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('code') code: string,
    @Query('programme') programmeId?: string,
  ): Promise<void> {
    const lang = this.pages.language(request, actor.user);
    const view = await this.country.view(actor, code, programmeId, lang);
    await this.pages.render(request, reply, 'country', view, actor.user);
  }
}
