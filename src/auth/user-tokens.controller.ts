import { Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { UsersService } from '../users/users.service.js';
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
  @Roles('admin')
  async list(@Param('id', ParseUUIDPipe) id: string): Promise<ApiTokenResponse[]> {
    await this.users.get(id);
    return this.apiTokens.list(id);
  }

  @Delete(':tokenId')
  @HttpCode(204)
  @Roles('admin')
  revoke(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('tokenId', ParseUUIDPipe) tokenId: string,
  ): Promise<void> {
    return this.apiTokens.revoke(actor, tokenId, id);
  }
}
