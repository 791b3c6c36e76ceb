import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ACTION_RIGHTS, READ_RIGHTS } from '../auth/access-policy.js';
import { Roles } from '../auth/access.decorators.js';
import { CurrentActor } from '../auth/actor.decorator.js';
import type { Actor } from '../auth/roles.js';
import { Body } from '../common/body.decorator.js';
import { ApiProblems, pageOf } from '../common/openapi.js';
import type { Page } from '../common/pagination.js';
import { LanguageQuery } from '../countries/dto/countries.query.js';
import { CampaignsService } from './campaigns.service.js';
import {
  CampaignDetail,
  CampaignListQuery,
  CampaignSummary,
  LaunchCampaignDto,
  LaunchedCampaign,
} from './dto/campaign.dto.js';

@ApiTags('assessment-campaigns')
@ApiBearerAuth()
@Controller('assessment-campaigns')
export class CampaignsController {
  constructor(private readonly campaigns: CampaignsService) {}

  @ApiOperation({
    summary: 'Launch a campaign: one draft of the template for each active programme of the scope',
    description:
      'Programmes on hold, cancelled, or with an open (draft, submitted, returned) assessment of ' +
      'the template are skipped and listed. A launch that would create no draft writes nothing: ' +
      '422 when the scope has no programme, 409 when every programme is skipped (a campaign ' +
      'launched twice). The due date is today or later in UTC.',
  })
  @ApiCreatedResponse({ type: LaunchedCampaign })
  @ApiProblems(400, 401, 403, 409, 422)
  @Post()
  @Roles(...ACTION_RIGHTS.launchCampaigns)
  launch(@CurrentActor() actor: Actor, @Body() dto: LaunchCampaignDto): Promise<LaunchedCampaign> {
    return this.campaigns.launch(actor, dto);
  }

  @ApiOperation({
    summary: 'The campaigns, newest first, each with its progress',
    description: 'A coordinator sees the campaigns that reach their region, counted there.',
  })
  @ApiOkResponse({ type: pageOf(CampaignSummary) })
  @ApiProblems(400, 401, 403)
  @Get()
  @Roles(...READ_RIGHTS.campaigns)
  list(
    @CurrentActor() actor: Actor,
    @Query() query: CampaignListQuery,
  ): Promise<Page<CampaignSummary>> {
    return this.campaigns.list(actor, query);
  }

  @ApiOperation({
    summary: "A campaign's progress overall and per region, and the drafts not yet submitted",
  })
  @ApiOkResponse({ type: CampaignDetail })
  @ApiProblems(400, 401, 403, 404)
  @Get(':id')
  @Roles(...READ_RIGHTS.campaigns)
  get(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: LanguageQuery,
  ): Promise<CampaignDetail> {
    return this.campaigns.get(actor, id, query.lang);
  }

  @ApiOperation({
    summary: 'Close a campaign: its reminders stop, its drafts stay',
    description: 'A closed campaign answers 409.',
  })
  @ApiOkResponse({ type: CampaignSummary })
  @ApiProblems(400, 401, 403, 404, 409)
  @Post(':id/close')
  @HttpCode(200)
  @Roles(...ACTION_RIGHTS.launchCampaigns)
  close(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<CampaignSummary> {
    return this.campaigns.close(actor, id);
  }
}
