import {
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
} from '@nestjs/common';
import { Body } from '../common/body.decorator.js';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ApiProblems } from '../common/openapi.js';
import { ACTION_RIGHTS, READ_RIGHTS } from '../auth/access-policy.js';
import { Roles } from '../auth/access.decorators.js';
import { CurrentActor } from '../auth/actor.decorator.js';
import type { Actor } from '../auth/roles.js';
import { CountryCodePipe } from '../countries/country-code.pipe.js';
import {
  CreateStakeholderDto,
  StakeholderResponse,
  UpdateStakeholderDto,
} from './dto/stakeholder.dto.js';
import { StakeholdersService } from './stakeholders.service.js';

@ApiTags('stakeholders')
@ApiBearerAuth()
@Controller()
export class StakeholdersController {
  constructor(private readonly stakeholders: StakeholdersService) {}

  @ApiOperation({ summary: "A country's stakeholders" })
  @ApiOkResponse({ type: [StakeholderResponse] })
  @ApiProblems(400, 401, 403, 404)
  @Get('countries/:code/stakeholders')
  @Roles(...READ_RIGHTS.stakeholders)
  list(
    @CurrentActor() actor: Actor,
    @Param('code', CountryCodePipe) code: string,
  ): Promise<StakeholderResponse[]> {
    return this.stakeholders.list(actor, code);
  }

  @ApiOperation({ summary: 'Add a stakeholder to a country' })
  @ApiCreatedResponse({ type: StakeholderResponse })
  @ApiProblems(400, 401, 403, 404, 409)
  @Post('countries/:code/stakeholders')
  @Roles(...ACTION_RIGHTS.writeStakeholders)
  create(
    @CurrentActor() actor: Actor,
    @Param('code', CountryCodePipe) code: string,
    @Body() dto: CreateStakeholderDto,
  ): Promise<StakeholderResponse> {
    return this.stakeholders.create(actor, code, dto);
  }

  @ApiOperation({ summary: 'Change a stakeholder' })
  @ApiOkResponse({ type: StakeholderResponse })
  @ApiProblems(400, 401, 403, 404, 409)
  @Patch('stakeholders/:id')
  @Roles(...ACTION_RIGHTS.writeStakeholders)
  update(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateStakeholderDto,
  ): Promise<StakeholderResponse> {
    return this.stakeholders.update(actor, id, dto);
  }

  @ApiOperation({ summary: 'Remove a stakeholder' })
  @ApiNoContentResponse({ description: 'Removed' })
  @ApiProblems(400, 401, 403, 404)
  @Delete('stakeholders/:id')
  @HttpCode(204)
  @Roles(...ACTION_RIGHTS.writeStakeholders)
  remove(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.stakeholders.remove(actor, id);
  }
}
