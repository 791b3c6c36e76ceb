import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ACTION_RIGHTS, READ_RIGHTS } from '../auth/access-policy.js';
import { Roles } from '../auth/access.decorators.js';
import { CurrentActor } from '../auth/actor.decorator.js';
import type { Actor } from '../auth/roles.js';
import {
  ApproveTransitionDto,
  RejectTransitionDto,
  RequestTransitionDto,
} from './dto/transition.dto.js';
import { ProgrammeHistoryQuery } from './programme-history.query.js';
import { TransitionsService } from './transitions.service.js';

@ApiTags('programmes')
@ApiBearerAuth()
@Controller()
export class TransitionsController {
  constructor(
    private readonly transitions: TransitionsService,
    private readonly historyQuery: ProgrammeHistoryQuery,
  ) {}

  @Post('programmes/:id/transitions')
  @Roles(...ACTION_RIGHTS.requestTransitions)
  request(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: RequestTransitionDto,
  ) {
    return this.transitions.request(actor, id, dto);
  }

  @Get('programmes/:id/transitions')
  @Roles(...READ_RIGHTS.transitions)
  list(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string) {
    return this.transitions.list(actor, id);
  }

  @Get('programmes/:id/history')
  @Roles(...READ_RIGHTS.programmes)
  history(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string) {
    return this.historyQuery.history(actor, id);
  }

  @Post('transitions/:id/approve')
  @HttpCode(200)
  @Roles(...ACTION_RIGHTS.decideTransitions)
  approve(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: ApproveTransitionDto,
  ) {
    return this.transitions.approve(actor, id, dto);
  }

  @Post('transitions/:id/reject')
  @HttpCode(200)
  @Roles(...ACTION_RIGHTS.decideTransitions)
  reject(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: RejectTransitionDto,
  ) {
    return this.transitions.reject(actor, id, dto.note);
  }
}
