import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { Body } from '../common/body.decorator.js';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ApiProblems } from '../common/openapi.js';
import { ACTION_RIGHTS, READ_RIGHTS } from '../auth/access-policy.js';
import { Roles } from '../auth/access.decorators.js';
import { CurrentActor } from '../auth/actor.decorator.js';
import type { Actor } from '../auth/roles.js';
import {
  ApproveTransitionDto,
  RejectTransitionDto,
  RequestTransitionDto,
  TransitionResponse,
} from './dto/transition.dto.js';
import { ProgrammeHistoryResponse } from './dto/programme.dto.js';
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

  @ApiOperation({
    summary: 'Request a phase change (forward: checked against the gate; back: applied at once)',
  })
  @ApiCreatedResponse({ type: TransitionResponse })
  @ApiProblems(400, 401, 403, 404, 409, 422)
  @Post('programmes/:id/transitions')
  @Roles(...ACTION_RIGHTS.requestTransitions)
  request(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: RequestTransitionDto,
  ): Promise<TransitionResponse> {
    return this.transitions.request(actor, id, dto);
  }

  @ApiOperation({ summary: "A programme's phase transitions, newest first" })
  @ApiOkResponse({ type: [TransitionResponse] })
  @ApiProblems(400, 401, 403, 404)
  @Get('programmes/:id/transitions')
  @Roles(...READ_RIGHTS.transitions)
  list(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<TransitionResponse[]> {
    return this.transitions.list(actor, id);
  }

  @ApiOperation({ summary: "A programme's phase timeline and audit events" })
  @ApiOkResponse({ type: ProgrammeHistoryResponse })
  @ApiProblems(400, 401, 403, 404)
  @Get('programmes/:id/history')
  @Roles(...READ_RIGHTS.programmes)
  history(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<ProgrammeHistoryResponse> {
    return this.historyQuery.history(actor, id);
  }

  @ApiOperation({ summary: 'Approve a pending transition: the programme enters the phase' })
  @ApiOkResponse({ type: TransitionResponse })
  @ApiProblems(400, 401, 403, 404, 409, 422)
  @Post('transitions/:id/approve')
  @HttpCode(200)
  @Roles(...ACTION_RIGHTS.decideTransitions)
  approve(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: ApproveTransitionDto,
  ): Promise<TransitionResponse> {
    return this.transitions.approve(actor, id, dto);
  }

  @ApiOperation({ summary: 'Reject a pending transition with a note' })
  @ApiOkResponse({ type: TransitionResponse })
  @ApiProblems(400, 401, 403, 404, 409)
  @Post('transitions/:id/reject')
  @HttpCode(200)
  @Roles(...ACTION_RIGHTS.decideTransitions)
  reject(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: RejectTransitionDto,
  ): Promise<TransitionResponse> {
    return this.transitions.reject(actor, id, dto.note);
  }
}
