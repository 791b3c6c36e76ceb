import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
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

  @Get('programmes/:id/milestones')
  @Roles(...READ_RIGHTS.milestones)
  list(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) programmeId: string,
    @Query() query: MilestonesQuery,
  ): Promise<Page<MilestoneResponse>> {
    return this.milestones.list(actor, programmeId, query);
  }

  @Post('programmes/:id/milestones')
  @Roles(...ACTION_RIGHTS.writeMilestones)
  create(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) programmeId: string,
    @Body() dto: CreateMilestoneDto,
  ): Promise<MilestoneResponse> {
    return this.milestones.create(actor, programmeId, dto);
  }

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
