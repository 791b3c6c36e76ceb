import {
  Controller,
  Get,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Req,
  Res,
  UseFilters,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ACTION_RIGHTS, AccessPolicy } from '../auth/access-policy.js';
import { Roles } from '../auth/access.decorators.js';
import { CurrentActor } from '../auth/actor.decorator.js';
import { ApiTokensService } from '../auth/api-tokens.service.js';
import { type Actor, ROLES } from '../auth/roles.js';
import { Body } from '../common/body.decorator.js';
import { Clock } from '../common/clock.js';
import { DomainError, type FieldError } from '../common/domain-error.js';
import { CountriesService } from '../countries/countries.service.js';
import { REGION_CODES } from '../countries/regions.js';
import type { Locale } from '../messages/locales.js';
import {
  CreateUserDto,
  UpdateUserDto,
  type UserResponse,
  UsersQuery,
} from '../users/dto/user.dto.js';
import { UserErrors } from '../users/user.errors.js';
import { UsersService } from '../users/users.service.js';
import { translator } from './i18n.js';
import { PageErrorFilter } from './page-error.filter.js';
import { type PageForm, type PageView, PageForms, pageQuery } from './page-forms.js';
import { PageRenderer } from './page-renderer.js';

/** The role and scope fields: emptied, a scope is cleared (the API's null). */
const SCOPE_KINDS = { countryCode: 'clearable', regionCode: 'clearable' } as const;

/** The list's filters and page as a query string, to keep them in the pager's links. */
function queryString(query: UsersQuery, page = query.page): string {
  const params = new URLSearchParams();
  for (const name of ['q', 'role', 'regionCode', 'countryCode', 'disabled'] as const) {
    const value = query[name];
    if (value) params.set(name, value);
  }
  if (page > 1) params.set('page', String(page));
  const text = params.toString();
  return text ? `?${text}` : '';
}

/**
 * The API's refusals that concern one field, shown at it: an e-mail that exists already, a role
 * the user may not give; a scope's error names the role in words rather than by its code.
 */
function atFields(error: unknown, lang: Locale): unknown {
  if (!(error instanceof DomainError)) return error;
  const field =
    error.entry === UserErrors.email_taken
      ? 'email'
      : error.entry === UserErrors.admin_only
        ? 'role'
        : null;
  const t = translator(lang);
  const errors: FieldError[] = field
    ? [{ field, code: error.code, messageKey: error.entry.messageKey, params: error.params }]
    : (error.errors ?? []).map((item) =>
        typeof item.params.role === 'string'
          ? { ...item, params: { ...item.params, role: t(`role.${item.params.role}`) } }
          : item,
      );
  return new DomainError(error.entry, error.params, { errors, headers: error.headers });
}

/**
 * User administration: the list with its filters, a new user, and each user's details with the
 * forms that change them and, for an administrator, their API tokens. The same rules as the API:
 * an itu_pm reads everyone but changes and creates only the roles UsersService lets it manage.
 */
@ApiExcludeController()
@UseFilters(PageErrorFilter)
@Controller('app/users')
export class UserPagesController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly forms: PageForms,
    private readonly users: UsersService,
    private readonly apiTokens: ApiTokensService,
    private readonly countries: CountriesService,
    private readonly policy: AccessPolicy,
    private readonly clock: Clock,
  ) {}

  @Get()
  @Roles(...ACTION_RIGHTS.manageUsers)
  async usersPage(
    @CurrentActor() actor: Actor,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Query() rawQuery: Record<string, unknown>,
  ): Promise<void> {
    const query = await pageQuery(rawQuery, UsersQuery);
    const lang = this.pages.language(request, actor.user);
    const [list, countries] = await Promise.all([
      this.users.list(query),
      this.countryChoices(lang),
    ]);
    const countryNames = new Map(countries.map((country) => [country.code, country.name]));
    await this.pages.render(
      request,
      reply,
      'users',
      {
        title: 'users',
        list: {
          ...list,
          items: list.items.map((user) => ({
            ...user,
            countryName: user.countryCode
              ? (countryNames.get(user.countryCode) ?? user.countryCode)
              : null,
          })),
        },
        query,
        roles: ROLES,
        regions: REGION_CODES,
        countries,
        pageLink: (page: number) => `/app/users${queryString(query, page)}`,
      },
      actor.user,
    );
  }

  @Get('new')
  @Roles(...ACTION_RIGHTS.manageUsers)
  async newUserPage(
    @CurrentActor() actor: Actor,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const { view, data } = await this.newUserView(actor, request);
    await this.pages.render(request, reply, view, data, actor.user);
  }

  /** The new user's page follows, with the confirmation; a refusal shows the form again. */
  @Post('new')
  @Roles(...ACTION_RIGHTS.manageUsers)
  async createUser(
    @CurrentActor() actor: Actor,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Body() body: unknown,
  ): Promise<void> {
    const lang = this.pages.language(request, actor.user);
    let created: UserResponse | undefined;
    let invited = false;
    await this.forms.submit(request, reply, actor, body, {
      id: 'user-new',
      dto: CreateUserDto,
      // The choice of an initial password or an invitation posts `invite` as `false` or `true`.
      kinds: { invite: 'boolean' },
      action: async (input) => {
        created = await this.users.create(actor, input).catch((error: unknown) => {
          throw atFields(error, lang);
        });
        invited = input.invite === true;
      },
      // An invited user has no password to pass on: their e-mail is on its way instead.
      get done() {
        return invited ? 'done.userInvited' : 'done.userCreated';
      },
      // Read after the action: the new user's page once it exists, else this form's.
      get back() {
        return created ? `/app/users/${created.id}` : '/app/users/new';
      },
      page: () => this.newUserView(actor, request),
    });
  }

  @Get(':id')
  @Roles(...ACTION_RIGHTS.manageUsers)
  async userPage(
    @CurrentActor() actor: Actor,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<void> {
    const { view, data } = await this.userView(actor, request, id);
    await this.pages.render(request, reply, view, data, actor.user);
  }

  /** Name, role with its scope, and language. */
  @Post(':id')
  @Roles(...ACTION_RIGHTS.manageUsers)
  async updateUser(
    @CurrentActor() actor: Actor,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: unknown,
  ): Promise<void> {
    await this.forms.submit(request, reply, actor, body, {
      ...this.userForm(actor, request, id, 'user-edit'),
      dto: UpdateUserDto,
      kinds: SCOPE_KINDS,
      done: 'done.userSaved',
      confirmAt: 'form',
    });
  }

  /** A new password, which the user must replace at their next sign-in; their sessions end. */
  @Post(':id/password')
  @Roles(...ACTION_RIGHTS.manageUsers)
  async resetPassword(
    @CurrentActor() actor: Actor,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: unknown,
  ): Promise<void> {
    await this.forms.submit(request, reply, actor, body, {
      ...this.userForm(actor, request, id, 'user-password'),
      dto: UpdateUserDto,
      done: 'done.userPasswordReset',
      confirmAt: 'form',
    });
  }

  /** Disabled (`disabled=true`), the user can no longer sign in; enabled again, they can. */
  @Post(':id/state')
  @Roles(...ACTION_RIGHTS.manageUsers)
  async setState(
    @CurrentActor() actor: Actor,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: unknown,
  ): Promise<void> {
    let saved: UserResponse | undefined;
    const form = this.userForm(actor, request, id, 'user-state', (user) => (saved = user));
    await this.forms.submit(request, reply, actor, body, {
      ...form,
      dto: UpdateUserDto,
      kinds: { disabled: 'boolean' },
      confirmAt: 'form',
      get done() {
        return saved?.disabled ? 'done.userDisabled' : 'done.userEnabled';
      },
    });
  }

  /** For a user who never chose their password: a new link by e-mail; the earlier ones end. */
  @Post(':id/invitation')
  @Roles(...ACTION_RIGHTS.manageUsers)
  async resendInvitation(
    @CurrentActor() actor: Actor,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<void> {
    await this.forms.submit(request, reply, actor, undefined, {
      id: 'user-invitation',
      action: () => this.users.resendInvitation(actor, id),
      done: 'done.invitationSent',
      confirmAt: 'form',
      back: `/app/users/${id}`,
      page: () => this.userView(actor, request, id),
    });
  }

  @Post(':id/tokens/:tokenId/revoke')
  @Roles(...ACTION_RIGHTS.manageUserTokens)
  async revokeToken(
    @CurrentActor() actor: Actor,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('tokenId', ParseUUIDPipe) tokenId: string,
  ): Promise<void> {
    await this.forms.submit(request, reply, actor, undefined, {
      id: `token-${tokenId}`,
      action: () => this.apiTokens.revoke(actor, tokenId, id),
      done: 'done.tokenRevoked',
      back: `/app/users/${id}`,
      page: () => this.userView(actor, request, id),
    });
  }

  /** A form of a user's page: UsersService.update as the API's PATCH, back to the page. */
  private userForm(
    actor: Actor,
    request: FastifyRequest,
    id: string,
    formId: string,
    saved: (user: UserResponse) => void = () => undefined,
  ): Pick<PageForm<UpdateUserDto>, 'id' | 'action' | 'back' | 'page'> {
    const lang = this.pages.language(request, actor.user);
    return {
      id: formId,
      action: async (input) => {
        saved(
          await this.users.update(actor, id, input).catch((error: unknown) => {
            throw atFields(error, lang);
          }),
        );
      },
      back: `/app/users/${id}`,
      page: () => this.userView(actor, request, id),
    };
  }

  /** Tracked countries by their name in the page's language. */
  private async countryChoices(lang: Locale): Promise<{ code: string; name: string }[]> {
    const collator = new Intl.Collator(lang);
    return (await this.countries.listCountries(lang))
      .map((country) => ({ code: country.code, name: country.name }))
      .sort((a, b) => collator.compare(a.name, b.name));
  }

  /** The roles this user may give: an itu_pm's list has neither admin nor itu_pm. */
  private roleChoices(actor: Actor) {
    return ROLES.filter((role) => this.users.mayManage(actor.user, role));
  }

  private async newUserView(actor: Actor, request: FastifyRequest): Promise<PageView> {
    const lang = this.pages.language(request, actor.user);
    return {
      view: 'user-new',
      data: {
        title: 'users.new',
        roles: this.roleChoices(actor),
        regions: REGION_CODES,
        countries: await this.countryChoices(lang),
      },
    };
  }

  private async userView(actor: Actor, request: FastifyRequest, id: string): Promise<PageView> {
    const lang = this.pages.language(request, actor.user);
    const person = await this.users.get(id);
    const mayManage = this.users.mayManage(actor.user, person.role);
    const mayManageTokens = this.policy.mayDo(actor.user, 'manageUserTokens');
    const countries = await this.countryChoices(lang);
    const now = this.clock.now().getTime();
    const tokens = mayManageTokens
      ? (await this.apiTokens.list(id)).map((token) => ({
          ...token,
          state: token.revokedAt
            ? 'revoked'
            : token.expiresAt && token.expiresAt.getTime() <= now
              ? 'expired'
              : 'live',
        }))
      : null;
    return {
      view: 'user',
      data: {
        title: person.displayName,
        rawTitle: true,
        person,
        countryName: person.countryCode
          ? (countries.find((country) => country.code === person.countryCode)?.name ??
            person.countryCode)
          : null,
        may: { manage: mayManage },
        roles: mayManage ? this.roleChoices(actor) : [],
        regions: REGION_CODES,
        countries,
        tokens,
      },
    };
  }
}
