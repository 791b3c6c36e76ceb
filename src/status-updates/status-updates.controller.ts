import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ACTION_RIGHTS, READ_RIGHTS } from '../auth/access-policy.js';
import { Roles } from '../auth/access.decorators.js';
import { CurrentActor } from '../auth/actor.decorator.js';
import type { Actor } from '../auth/roles.js';
import { type Page, PageQuery } from '../common/pagination.js';
import { CreateStatusUpdateDto, StatusUpdateResponse } from './dto/status-update.dto.js';
import { StatusUpdatesService } from './status-updates.service.js';

@ApiTags('status updates')
@ApiBearerAuth()
@Controller('programmes/:id/status-updates')
export class StatusUpdatesController {
  constructor(private readonly statusUpdates: StatusUpdatesService) {}

  @Get()
  @Roles(...READ_RIGHTS.statusUpdates)
  list(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) programmeId: string,
    @Query() query: PageQuery,
  ): Promise<Page<StatusUpdateResponse>> {
    return this.statusUpdates.list(actor, programmeId, query);
  }

  @Post()
  @Roles(...ACTION_RIGHTS.postStatusUpdates)
  create(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) programmeId: string,
    @Body() dto: CreateStatusUpdateDto,
  ): Promise<StatusUpdateResponse> {
    return this.statusUpdates.create(actor, programmeId, dto);
  }
}
