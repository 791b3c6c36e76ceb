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
  CreateProgrammeDto,
  ProgrammeDetail,
  ProgrammeSummary,
  ProgrammesQuery,
  UpdateProgrammeDto,
} from './dto/programme.dto.js';
import { ProgrammesService } from './programmes.service.js';

@ApiTags('programmes')
@ApiBearerAuth()
@Controller('programmes')
export class ProgrammesController {
  constructor(private readonly programmes: ProgrammesService) {}

  @ApiOperation({ summary: 'Programmes in the caller’s scope, filtered and sorted' })
  @ApiOkResponse({ type: pageOf(ProgrammeSummary) })
  @ApiProblems(400, 401, 403)
  @Get()
  @Roles(...READ_RIGHTS.programmes)
  list(
    @CurrentActor() actor: Actor,
    @Query() query: ProgrammesQuery,
  ): Promise<Page<ProgrammeSummary>> {
    return this.programmes.list(actor, query);
  }

  @ApiOperation({ summary: 'Start a programme in readiness assessment' })
  @ApiCreatedResponse({ type: ProgrammeDetail })
  @ApiProblems(400, 401, 403, 409)
  @Post()
  @Roles(...ACTION_RIGHTS.manageProgrammes)
  create(@CurrentActor() actor: Actor, @Body() dto: CreateProgrammeDto): Promise<ProgrammeDetail> {
    return this.programmes.create(actor, dto);
  }

  @ApiOperation({ summary: 'One programme with its pending transition and latest updates' })
  @ApiOkResponse({ type: ProgrammeDetail })
  @ApiProblems(400, 401, 403, 404)
  @Get(':id')
  @Roles(...READ_RIGHTS.programmes)
  get(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<ProgrammeDetail> {
    return this.programmes.get(actor.user, id);
  }

  @ApiOperation({ summary: 'Change a programme (carries the version read)' })
  @ApiOkResponse({ type: ProgrammeDetail })
  @ApiProblems(400, 401, 403, 404, 409)
  @Patch(':id')
  @Roles(...ACTION_RIGHTS.manageProgrammes)
  update(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateProgrammeDto,
  ): Promise<ProgrammeDetail> {
    return this.programmes.update(actor, id, dto);
  }
}
