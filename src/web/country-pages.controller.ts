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
import { Body } from '../common/body.decorator.js';
import { Roles } from '../auth/access.decorators.js';
import { CurrentActor } from '../auth/actor.decorator.js';
import type { Actor } from '../auth/roles.js';
import { CreateMilestoneDto, UpdateMilestoneDto } from '../milestones/dto/milestone.dto.js';
import { MilestonesService } from '../milestones/milestones.service.js';
import { RequestTransitionDto } from '../programmes/dto/transition.dto.js';
import { TransitionsService } from '../programmes/transitions.service.js';
import { CreateStatusUpdateDto } from '../status-updates/dto/status-update.dto.js';
import { StatusUpdatesService } from '../status-updates/status-updates.service.js';
import { CountryPageService } from './country-page.service.js';
import { PageErrorFilter } from './page-error.filter.js';
import { type PageForm, PageForms } from './page-forms.js';
import { PageRenderer } from './page-renderer.js';

/**
 * A country's workspace: its programmes, phase, milestones, updates, assessments and people, and
 * the forms by which its team moves the work on.
 */
@ApiExcludeController()
@UseFilters(PageErrorFilter)
@Controller('app/countries')
export class CountryPagesController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly forms: PageForms,
    private readonly country: CountryPageService,
    private readonly transitions: TransitionsService,
    private readonly statusUpdates: StatusUpdatesService,
    private readonly milestones: MilestonesService,
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

  @Post(':code/programmes/:id/transitions')
  @Roles(...ACTION_RIGHTS.requestTransitions)
  async requestTransition(
    @CurrentActor() actor: Actor,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('code') code: string,
    @Param('id', ParseUUIDPipe) programmeId: string,
    @Body() body: unknown,
  ): Promise<void> {
    await this.country.assertProgrammeOf(actor, code, programmeId);
    await this.forms.submit(request, reply, actor, body, {
      ...this.workspaceForm(actor, request, code, programmeId, 'transition-request'),
      dto: RequestTransitionDto,
      action: (input) => this.transitions.request(actor, programmeId, input),
      done: 'done.transitionRequested',
    });
  }

  @Post(':code/programmes/:id/status-updates')
  @Roles(...ACTION_RIGHTS.postStatusUpdates)
  async postStatusUpdate(
    @CurrentActor() actor: Actor,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('code') code: string,
    @Param('id', ParseUUIDPipe) programmeId: string,
    @Body() body: unknown,
  ): Promise<void> {
    await this.country.assertProgrammeOf(actor, code, programmeId);
    await this.forms.submit(request, reply, actor, body, {
      ...this.workspaceForm(actor, request, code, programmeId, 'status-update'),
      dto: CreateStatusUpdateDto,
      action: (input) => this.statusUpdates.create(actor, programmeId, input),
      done: 'done.statusUpdatePosted',
      confirmAt: 'form',
    });
  }

  @Post(':code/programmes/:id/milestones')
  @Roles(...ACTION_RIGHTS.writeMilestones)
  async addMilestone(
    @CurrentActor() actor: Actor,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('code') code: string,
    @Param('id', ParseUUIDPipe) programmeId: string,
    @Body() body: unknown,
  ): Promise<void> {
    await this.country.assertProgrammeOf(actor, code, programmeId);
    await this.forms.submit(request, reply, actor, body, {
      ...this.workspaceForm(actor, request, code, programmeId, 'milestone-new'),
      dto: CreateMilestoneDto,
      action: (input) => this.milestones.create(actor, programmeId, input),
      done: 'done.milestoneAdded',
      confirmAt: 'form',
    });
  }

  @Post(':code/programmes/:id/milestones/:milestoneId')
  @Roles(...ACTION_RIGHTS.writeMilestones)
  async editMilestone(
    @CurrentActor() actor: Actor,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('code') code: string,
    @Param('id', ParseUUIDPipe) programmeId: string,
    @Param('milestoneId', ParseUUIDPipe) milestoneId: string,
    @Body() body: unknown,
  ): Promise<void> {
    await this.country.assertProgrammeOf(actor, code, programmeId);
    await this.forms.submit(request, reply, actor, body, {
      ...this.workspaceForm(actor, request, code, programmeId, `milestone-edit-${milestoneId}`),
      dto: UpdateMilestoneDto,
      kinds: { version: 'number', ownerStakeholderId: 'clearable', description: 'clearable' },
      action: (input) => this.milestones.update(actor, milestoneId, input),
      done: 'done.milestoneSaved',
      confirmAt: 'form',
    });
  }

  @Post(':code/programmes/:id/milestones/:milestoneId/status')
  @Roles(...ACTION_RIGHTS.writeMilestones)
  async setMilestoneStatus(
    @CurrentActor() actor: Actor,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('code') code: string,
    @Param('id', ParseUUIDPipe) programmeId: string,
    @Param('milestoneId', ParseUUIDPipe) milestoneId: string,
    @Body() body: unknown,
  ): Promise<void> {
    await this.country.assertProgrammeOf(actor, code, programmeId);
    await this.forms.submit(request, reply, actor, body, {
      ...this.workspaceForm(actor, request, code, programmeId, `milestone-status-${milestoneId}`),
      dto: UpdateMilestoneDto,
      kinds: { version: 'number' },
      action: (input) => this.milestones.update(actor, milestoneId, input),
      done: 'done.milestoneSaved',
      confirmAt: 'form',
    });
  }

  /** A workspace form goes back to the programme's workspace, shown again when refused. */
  private workspaceForm(
    actor: Actor,
    request: FastifyRequest,
    code: string,
    programmeId: string,
    id: string,
  ): Pick<PageForm<unknown>, 'id' | 'back' | 'page'> {
    return {
      id,
      back: `/app/countries/${encodeURIComponent(code)}?programme=${programmeId}`,
      page: async () => ({
        view: 'country',
        data: await this.country.view(
          actor,
          code,
          programmeId,
          this.pages.language(request, actor.user),
        ),
      }),
    };
  }
}
