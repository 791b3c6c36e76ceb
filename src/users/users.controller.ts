import {
  Controller,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
} from '@nestjs/common';
import { Body } from '../common/body.decorator.js';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ApiProblems, pageOf } from '../common/openapi.js';
import { ACTION_RIGHTS } from '../auth/access-policy.js';
import { Roles } from '../auth/access.decorators.js';
import { CurrentActor } from '../auth/actor.decorator.js';
import type { Actor } from '../auth/roles.js';
import type { Page } from '../common/pagination.js';
import {
  CreateUserDto,
  InvitationSentResponse,
  UpdateUserDto,
  UserResponse,
  UsersQuery,
} from './dto/user.dto.js';
import { UsersService } from './users.service.js';

@ApiTags('users')
@ApiBearerAuth()
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @Roles(...ACTION_RIGHTS.manageUsers)
  @ApiOperation({ summary: 'List users' })
  @ApiOkResponse({ type: pageOf(UserResponse) })
  @ApiProblems(400, 401, 403)
  list(@Query() query: UsersQuery): Promise<Page<UserResponse>> {
    return this.users.list(query);
  }

  @Post()
  @Roles(...ACTION_RIGHTS.manageUsers)
  @ApiOperation({
    summary: 'Create a user, with an initial password or an invitation by e-mail (`invite`)',
  })
  @ApiCreatedResponse({ type: UserResponse })
  @ApiProblems(400, 401, 403, 409)
  create(@CurrentActor() actor: Actor, @Body() dto: CreateUserDto): Promise<UserResponse> {
    return this.users.create(actor, dto);
  }

  @Get(':id')
  @Roles(...ACTION_RIGHTS.manageUsers)
  @ApiOperation({ summary: 'One user' })
  @ApiOkResponse({ type: UserResponse })
  @ApiProblems(400, 401, 403, 404)
  get(@Param('id', ParseUUIDPipe) id: string): Promise<UserResponse> {
    return this.users.get(id);
  }

  @Patch(':id')
  @Roles(...ACTION_RIGHTS.manageUsers)
  @ApiOperation({ summary: "Change a user's role, scope, name, locale, password or state" })
  @ApiOkResponse({ type: UserResponse })
  @ApiProblems(400, 401, 403, 404, 409)
  update(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateUserDto,
  ): Promise<UserResponse> {
    return this.users.update(actor, id, dto);
  }

  /** Only for a user who has never chosen their own password; the links sent before stop working. */
  @Post(':id/invitation')
  @HttpCode(202)
  @Roles(...ACTION_RIGHTS.manageUsers)
  @ApiOperation({ summary: 'Send a user a new invitation to choose their password' })
  @ApiAcceptedResponse({
    type: InvitationSentResponse,
    description: 'The invitation e-mail is on its way',
  })
  @ApiProblems(400, 401, 403, 404, 409)
  resendInvitation(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<InvitationSentResponse> {
    return this.users.resendInvitation(actor, id);
  }
}
