import {
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Put,
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
import { ApiProblems, ApiPublicOperation } from '../common/openapi.js';
import { ANY_ROLE, type Actor } from './roles.js';
import { AllowedBeforePasswordChange, Public, Roles } from './access.decorators.js';
import { UpdateOwnSettingsDto, UserResponse } from '../users/dto/user.dto.js';
import { UsersService } from '../users/users.service.js';
import {
  type ClientInfo,
  type Credential,
  CurrentActor,
  CurrentClient,
  CurrentCredential,
} from './actor.decorator.js';
import { ApiTokensService } from './api-tokens.service.js';
import { AuthService } from './auth.service.js';
import {
  AcceptInvitationDto,
  ApiTokenResponse,
  ChangePasswordDto,
  CreateApiTokenDto,
  CreatedApiTokenResponse,
  LoginDto,
  LoginResponse,
  MeResponse,
} from './dto/auth.dto.js';

@ApiTags('identity')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly apiTokens: ApiTokensService,
    private readonly users: UsersService,
  ) {}

  @Post('login')
  @HttpCode(200)
  @Public()
  @ApiPublicOperation('Sign in with e-mail and password')
  @ApiOkResponse({ type: LoginResponse })
  @ApiProblems(400, 401, 429)
  login(@Body() dto: LoginDto, @CurrentClient() client: ClientInfo): Promise<LoginResponse> {
    return this.auth.login(dto, client);
  }

  /**
   * An invited user chooses their password with the token of their e-mail's link; then they sign
   * in as anyone does. The token is 256 random bits: no limiter is needed against guessing.
   */
  @Post('invitations/accept')
  @HttpCode(204)
  @Public()
  @ApiPublicOperation("Accept an invitation: set the invited user's own password")
  @ApiNoContentResponse({ description: 'The password is set; the invitation is spent' })
  @ApiProblems(400, 404, 410)
  async acceptInvitation(
    @Body() dto: AcceptInvitationDto,
    @CurrentClient() client: ClientInfo,
  ): Promise<void> {
    await this.auth.acceptInvitation(dto, client);
  }

  /** Ends the calling session, or revokes the calling API token, at once. */
  @Post('logout')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'End the calling session or revoke the calling API token' })
  @ApiNoContentResponse({ description: 'Signed out' })
  @ApiProblems(401)
  @Roles(...ANY_ROLE)
  @AllowedBeforePasswordChange()
  logout(@CurrentActor() actor: Actor, @CurrentCredential() credential: Credential): Promise<void> {
    return this.auth.logout(actor, credential);
  }

  @Put('me/password')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiOperation({ summary: "Change the caller's password, ending their other sessions" })
  @ApiNoContentResponse({ description: 'Changed' })
  @ApiProblems(400, 401)
  @Roles(...ANY_ROLE)
  @AllowedBeforePasswordChange()
  changePassword(
    @CurrentActor() actor: Actor,
    @CurrentCredential() credential: Credential,
    @Body() dto: ChangePasswordDto,
  ): Promise<void> {
    return this.auth.changePassword(actor, credential, dto);
  }

  @Get('me')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'The caller' })
  @ApiOkResponse({ type: MeResponse })
  @ApiProblems(401)
  @Roles(...ANY_ROLE)
  @AllowedBeforePasswordChange()
  me(@CurrentActor() { user }: Actor): MeResponse {
    return {
      id: user.id,
      email: user.email,
      displayName: user.displayName,
      role: user.role,
      ...(user.countryCode ? { countryCode: user.countryCode } : {}),
      ...(user.regionCode ? { regionCode: user.regionCode } : {}),
      locale: user.locale,
      timezone: user.timezone,
      passwordChangeRequired: user.passwordChangeRequired,
    };
  }

  @Patch('me')
  @ApiBearerAuth()
  @ApiOperation({ summary: "Set the caller's language and time zone" })
  @ApiOkResponse({ type: UserResponse })
  @ApiProblems(400, 401)
  @Roles(...ANY_ROLE)
  updateMe(@CurrentActor() actor: Actor, @Body() dto: UpdateOwnSettingsDto): Promise<UserResponse> {
    return this.users.updateOwnSettings(actor, dto);
  }

  @Get('tokens')
  @ApiBearerAuth()
  @ApiOperation({ summary: "The caller's API tokens" })
  @ApiOkResponse({ type: [ApiTokenResponse] })
  @ApiProblems(401)
  @Roles(...ANY_ROLE)
  listTokens(@CurrentActor() actor: Actor): Promise<ApiTokenResponse[]> {
    return this.apiTokens.list(actor.user.id);
  }

  @Post('tokens')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Create an API token (shown once)' })
  @ApiCreatedResponse({ type: CreatedApiTokenResponse })
  @ApiProblems(400, 401, 429)
  @Roles(...ANY_ROLE)
  createToken(
    @CurrentActor() actor: Actor,
    @Body() dto: CreateApiTokenDto,
  ): Promise<CreatedApiTokenResponse> {
    return this.apiTokens.create(actor, dto);
  }

  @Delete('tokens/:id')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Revoke one of the caller’s API tokens' })
  @ApiNoContentResponse({ description: 'Revoked' })
  @ApiProblems(400, 401, 404)
  @Roles(...ANY_ROLE)
  revokeToken(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.apiTokens.revoke(actor, id);
  }
}
