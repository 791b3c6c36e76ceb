import { Controller, Get, Param, ParseUUIDPipe, Post, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AllowedBeforePasswordChange, Roles } from '../auth/access.decorators.js';
import { type Credential, CurrentActor, CurrentCredential } from '../auth/actor.decorator.js';
import { ApiTokensService } from '../auth/api-tokens.service.js';
import { AuthService } from '../auth/auth.service.js';
import { ChangePasswordDto, CreateApiTokenDto } from '../auth/dto/auth.dto.js';
import { ANY_ROLE, type Actor } from '../auth/roles.js';
import { Body } from '../common/body.decorator.js';
import { UpdateNotificationPreferencesDto } from '../events/dto/notification-preferences.dto.js';
import { DELIVERY_MODES, EVENT_KINDS } from '../events/event-kinds.js';
import { NotificationPreferencesService } from '../events/notification-preferences.service.js';
import { LOCALES, LOCALE_NAMES } from '../messages/locales.js';
import { UpdateOwnSettingsDto } from '../users/dto/user.dto.js';
import { UsersService } from '../users/users.service.js';
import { PageErrorFilter } from './page-error.filter.js';
import { PageForms } from './page-forms.js';
import { TIME_ZONES } from './page-formats.js';
import { PageRenderer } from './page-renderer.js';

/**
 * Everyone's own account: password, language and time zone, notification preferences, API
 * tokens. A user whose password someone else set sees only the password form until they change it.
 */
@ApiExcludeController()
@UseFilters(PageErrorFilter)
@Controller('app/account')
export class AccountPagesController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly forms: PageForms,
    private readonly auth: AuthService,
    private readonly users: UsersService,
    private readonly preferences: NotificationPreferencesService,
    private readonly apiTokens: ApiTokensService,
  ) {}

  @Get()
  @Roles(...ANY_ROLE)
  @AllowedBeforePasswordChange()
  async accountPage(
    @CurrentActor() actor: Actor,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const { view, data } = await this.page(actor);
    await this.pages.render(request, reply, view, data, actor.user);
  }

  /** The user's other sessions end; this one goes on. */
  @Post('password')
  @Roles(...ANY_ROLE)
  @AllowedBeforePasswordChange()
  async changePassword(
    @CurrentActor() actor: Actor,
    @CurrentCredential() credential: Credential,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Body() body: unknown,
  ): Promise<void> {
    await this.forms.submit(request, reply, actor, body, {
      id: 'change-password',
      dto: ChangePasswordDto,
      action: (input) => this.auth.changePassword(actor, credential, input),
      done: 'done.passwordChanged',
      confirmAt: 'form',
      back: '/app/account',
      page: () => this.page(actor),
    });
  }

  /** The chosen language is the pages' from now on, on this browser too. */
  @Post('settings')
  @Roles(...ANY_ROLE)
  async updateSettings(
    @CurrentActor() actor: Actor,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Body() body: unknown,
  ): Promise<void> {
    await this.forms.submit(request, reply, actor, body, {
      id: 'settings',
      dto: UpdateOwnSettingsDto,
      kinds: { timezone: 'clearable' },
      action: async (input) => {
        const saved = await this.users.updateOwnSettings(actor, input);
        this.pages.rememberLanguage(reply, saved.locale);
      },
      done: 'done.settingsSaved',
      confirmAt: 'form',
      back: '/app/account',
      page: () => this.page(actor),
    });
  }

  @Post('notifications')
  @Roles(...ANY_ROLE)
  async updateNotifications(
    @CurrentActor() actor: Actor,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Body() body: unknown,
  ): Promise<void> {
    await this.forms.submit(request, reply, actor, body, {
      id: 'notification-preferences',
      dto: UpdateNotificationPreferencesDto,
      action: (input) => this.preferences.replace(actor, input),
      done: 'done.preferencesSaved',
      confirmAt: 'form',
      back: '/app/account',
      page: () => this.page(actor),
    });
  }

  /** The new token is on the answer's page, once: it is stored only as a hash. */
  @Post('tokens')
  @Roles(...ANY_ROLE)
  async createToken(
    @CurrentActor() actor: Actor,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Body() body: unknown,
  ): Promise<void> {
    await this.forms.submit(request, reply, actor, body, {
      id: 'create-token',
      dto: CreateApiTokenDto,
      kinds: { expiresInDays: 'number' },
      action: (input) => this.apiTokens.create(actor, input),
      back: '/app/account',
      page: () => this.page(actor),
      answer: async (created) => {
        const { view, data } = await this.page(actor);
        const shown = { ...data, createdToken: created, confirmation: 'done.tokenCreated' };
        return { view, data: shown, status: 201 };
      },
    });
  }

  @Post('tokens/:tokenId/revoke')
  @Roles(...ANY_ROLE)
  async revokeToken(
    @CurrentActor() actor: Actor,
    @Param('tokenId', ParseUUIDPipe) tokenId: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.forms.submit(request, reply, actor, undefined, {
      id: `revoke-${tokenId}`,
      action: () => this.apiTokens.revoke(actor, tokenId),
      done: 'done.tokenRevoked',
      back: '/app/account',
      page: () => this.page(actor),
    });
  }

  private async page(actor: Actor) {
    const onlyPassword = actor.user.passwordChangeRequired;
    const [preferences, tokens] = onlyPassword
      ? [null, null]
      : await Promise.all([this.preferences.get(actor.user), this.apiTokens.list(actor.user.id)]);
    return {
      view: 'account',
      data: {
        title: 'yourAccount',
        onlyPassword,
        locales: LOCALES.map((code) => ({ code, name: LOCALE_NAMES[code] })),
        timeZones: TIME_ZONES,
        eventKinds: EVENT_KINDS,
        deliveryModes: DELIVERY_MODES,
        preferences,
        tokens: tokens?.filter((token) => token.revokedAt === null) ?? null,
      },
    };
  }
}
