import { Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ApiProblems } from '../common/openapi.js';
import { UsersService } from '../users/users.service.js';
import { ACTION_RIGHTS } from './access-policy.js';
import { Roles } from './access.decorators.js';
import { CurrentActor } from './actor.decorator.js';
import { ApiTokensService } from './api-tokens.service.js';
import { ApiTokenResponse } from './dto/auth.dto.js';
import type { Actor } from './roles.js';

/** Any user's API tokens, so an administrator can see and revoke what a script still holds. */
@ApiTags('users')
@ApiBearerAuth()
@Controller('users/:id/tokens')
export class UserTokensController {
  constructor(
    private readonly users: UsersService,
    private readonly apiTokens: ApiTokensService,
  ) {}

  @Get()
  @Roles(...ACTION_RIGHTS.manageUserTokens)
  @ApiOperation({ summary: "A user's API tokens" })
  @ApiOkResponse({ type: [ApiTokenResponse] })
  @ApiProblems(400, 401, 403, 404)
  async list(@Param('id', ParseUUIDPipe) id: string): Promise<ApiTokenResponse[]> {
    await this.users.get(id);
    return this.apiTokens.list(id);
  }

  @Delete(':tokenId')
  @HttpCode(204)
  @Roles(...ACTION_RIGHTS.manageUserTokens)
  @ApiOperation({ summary: "Revoke a user's API token" })
  @ApiNoContentResponse({ description: 'Revoked' })
  @ApiProblems(400, 401, 403, 404)
  revoke(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('tokenId', ParseUUIDPipe) tokenId: string,
  ): Promise<void> {
    return this.apiTokens.revoke(actor, tokenId, id);
  }
}
