import { Controller, Get, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { Body } from '../common/body.decorator.js';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ApiProblems, pageOf } from '../common/openapi.js';
import { ACTION_RIGHTS, READ_RIGHTS } from '../auth/access-policy.js';
import { Roles } from '../auth/access.decorators.js';
import { CurrentActor } from '../auth/actor.decorator.js';
import type { Actor } from '../auth/roles.js';
import type { Page } from '../common/pagination.js';
import {
  CreateMilestoneDto,
  MilestoneResponse,
  MilestonesQuery,
  UpdateMilestoneDto,
} from './dto/milestone.dto.js';
import { MilestonesService } from './milestones.service.js';

@ApiTags('milestones')
@ApiBearerAuth()
@Controller()
export class MilestonesController {
  constructor(private readonly milestones: MilestonesService) {}

  @ApiOperation({ summary: "A programme's milestones, filtered" })
  @ApiOkResponse({ type: pageOf(MilestoneResponse) })
  @ApiProblems(400, 401, 403, 404)
  @Get('programmes/:id/milestones')
  @Roles(...READ_RIGHTS.milestones)
  list(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) programmeId: string,
    @Query() query: MilestonesQuery,
  ): Promise<Page<MilestoneResponse>> {
    return this.milestones.list(actor, programmeId, query);
  }

  @ApiOperation({ summary: 'Add a milestone to a programme' })
  @ApiCreatedResponse({ type: MilestoneResponse })
  @ApiProblems(400, 401, 403, 404, 422)
  @Post('programmes/:id/milestones')
  @Roles(...ACTION_RIGHTS.writeMilestones)
  create(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) programmeId: string,
    @Body() dto: CreateMilestoneDto,
  ): Promise<MilestoneResponse> {
    return this.milestones.create(actor, programmeId, dto);
  }

  @ApiOperation({ summary: 'Change a milestone (carries the version read)' })
  @ApiOkResponse({ type: MilestoneResponse })
  @ApiProblems(400, 401, 403, 404, 409, 422)
  @Patch('milestones/:id')
  @Roles(...ACTION_RIGHTS.writeMilestones)
  update(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateMilestoneDto,
  ): Promise<MilestoneResponse> {
    return this.milestones.update(actor, id, dto);
  }
}
