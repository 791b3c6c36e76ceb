import { Controller, Get, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
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
import { type Page, PageQuery } from '../common/pagination.js';
import { CreateStatusUpdateDto, StatusUpdateResponse } from './dto/status-update.dto.js';
import { StatusUpdatesService } from './status-updates.service.js';

@ApiTags('status updates')
@ApiBearerAuth()
@Controller('programmes/:id/status-updates')
export class StatusUpdatesController {
  constructor(private readonly statusUpdates: StatusUpdatesService) {}

  @ApiOperation({ summary: "A programme's status updates, newest first" })
  @ApiOkResponse({ type: pageOf(StatusUpdateResponse) })
  @ApiProblems(400, 401, 403, 404)
  @Get()
  @Roles(...READ_RIGHTS.statusUpdates)
  list(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) programmeId: string,
    @Query() query: PageQuery,
  ): Promise<Page<StatusUpdateResponse>> {
    return this.statusUpdates.list(actor, programmeId, query);
  }

  @ApiOperation({ summary: 'Post a status update on a programme' })
  @ApiCreatedResponse({ type: StatusUpdateResponse })
  @ApiProblems(400, 401, 403, 404, 422)
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
