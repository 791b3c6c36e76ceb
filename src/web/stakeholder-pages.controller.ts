import {
  Controller,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Req,
  Res,
  UseFilters,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { isUUID } from 'class-validator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ACTION_RIGHTS } from '../auth/access-policy.js';
import { Roles } from '../auth/access.decorators.js';
import { CurrentActor } from '../auth/actor.decorator.js';
import type { Actor } from '../auth/roles.js';
import { Body } from '../common/body.decorator.js';
import { ValidationFieldErrors } from '../common/common.errors.js';
import { invalidField, notFound } from '../common/domain-error.js';
import { CountryCodePipe } from '../countries/country-code.pipe.js';
import {
  CreateStakeholderDto,
  type StakeholderResponse,
  UpdateStakeholderDto,
} from '../stakeholders/dto/stakeholder.dto.js';
import { StakeholdersService } from '../stakeholders/stakeholders.service.js';
import { CountryPageService } from './country-page.service.js';
import { PageErrorFilter } from './page-error.filter.js';
import { type FieldKind, type PageForm, type PageView, PageForms } from './page-forms.js';
import { PageRenderer } from './page-renderer.js';

/** How the add form's fields become the API's: an empty optional field is left out. */
const ADD_KINDS: Record<string, FieldKind> = { notify: 'boolean' };
/** And the edit form's: an emptied optional field clears it (the time zone: the country's). */
const EDIT_KINDS: Record<string, FieldKind> = {
  ...ADD_KINDS,
  organisation: 'clearable',
  timezone: 'clearable',
  webhookUrl: 'clearable',
};

/** Whether a form posted a webhook address, which may bring a signing secret to show once. */
function postsWebhook(body: unknown): boolean {
  const url = (body as Record<string, unknown> | null)?.webhookUrl;
  return typeof body === 'object' && typeof url === 'string' && url.trim() !== '';
}

/**
 * A country's stakeholders on its workspace: added, changed and removed by those who may write
 * the country, through the API's DTOs and StakeholdersService. A webhook's signing secret, which
 * the service gives once, is shown on the page that answers the post, and never again.
 */
@ApiExcludeController()
@UseFilters(PageErrorFilter)
@Controller('app/countries/:code/stakeholders')
export class StakeholderPagesController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly forms: PageForms,
    private readonly country: CountryPageService,
    private readonly stakeholders: StakeholdersService,
  ) {}

  @Post()
  @Roles(...ACTION_RIGHTS.writeStakeholders)
  async add(
    @CurrentActor() actor: Actor,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('code', CountryCodePipe) code: string,
    @Query('programme') programme: unknown,
    @Body() body: unknown,
  ): Promise<void> {
    const common = {
      ...this.workspaceForm(actor, request, code, programme, 'stakeholder-new'),
      dto: CreateStakeholderDto,
      kinds: ADD_KINDS,
      action: (input: CreateStakeholderDto) => this.stakeholders.create(actor, code, input),
    };
    await this.forms.submit(
      request,
      reply,
      actor,
      body,
      this.withSecret(common, 'done.stakeholderAdded', postsWebhook(body), 201),
    );
  }

  @Post(':stakeholderId')
  @Roles(...ACTION_RIGHTS.writeStakeholders)
  async edit(
    @CurrentActor() actor: Actor,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('code', CountryCodePipe) code: string,
    @Param('stakeholderId', ParseUUIDPipe) id: string,
    @Query('programme') programme: unknown,
    @Body() body: unknown,
  ): Promise<void> {
    // The form always posts its fields: nothing at all (a JSON null) would be a change of nothing.
    if (typeof body !== 'object' || body === null) {
      throw invalidField('body', ValidationFieldErrors.body_not_object);
    }
    await this.assertStakeholderOf(actor, code, id);
    // The service gives a secret only when the stakeholder has none yet.
    const bringsSecret =
      postsWebhook(body) && (await this.stakeholders.webhookSecretOf(id)) === null;
    const common = {
      ...this.workspaceForm(actor, request, code, programme, `stakeholder-edit-${id}`),
      dto: UpdateStakeholderDto,
      kinds: EDIT_KINDS,
      action: (input: UpdateStakeholderDto) => this.stakeholders.update(actor, id, input),
    };
    await this.forms.submit(
      request,
      reply,
      actor,
      body,
      this.withSecret(common, 'done.stakeholderSaved', bringsSecret, 200, 'form'),
    );
  }

  @Post(':stakeholderId/remove')
  @Roles(...ACTION_RIGHTS.writeStakeholders)
  async remove(
    @CurrentActor() actor: Actor,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('code', CountryCodePipe) code: string,
    @Param('stakeholderId', ParseUUIDPipe) id: string,
    @Query('programme') programme: unknown,
  ): Promise<void> {
    await this.assertStakeholderOf(actor, code, id);
    await this.forms.submit(request, reply, actor, undefined, {
      ...this.workspaceForm(actor, request, code, programme, `stakeholder-remove-${id}`),
      action: () => this.stakeholders.remove(actor, id),
      done: 'done.stakeholderRemoved',
    });
  }

  /** The address names the country: a stakeholder of another one is not found there. */
  private async assertStakeholderOf(actor: Actor, code: string, id: string): Promise<void> {
    const current = await this.stakeholders.list(actor, code);
    if (!current.some((stakeholder) => stakeholder.id === id)) {
      throw notFound(`Stakeholder ${id} of ${code}`);
    }
  }

  /**
   * A form that may bring a webhook's signing secret: then the post answers with the workspace
   * showing the secret (not a redirect, so that it is never shown again); else back to it.
   */
  private withSecret<T extends object>(
    form: Omit<PageForm<T, StakeholderResponse>, 'done' | 'confirmAt' | 'answer'>,
    done: string,
    bringsSecret: boolean,
    status: number,
    confirmAt: 'page' | 'form' = 'page',
  ): PageForm<T, StakeholderResponse> {
    if (!bringsSecret) return { ...form, done, confirmAt };
    return {
      ...form,
      answer: async (result) => {
        const { view, data } = await form.page();
        const shownSecret = result.webhookSecret
          ? { name: result.name, secret: result.webhookSecret }
          : null;
        return { view, data: { ...data, shownSecret, shownDone: done }, status };
      },
    };
  }

  /** A stakeholder form goes back to the workspace at the programme it was posted from. */
  private workspaceForm(
    actor: Actor,
    request: FastifyRequest,
    code: string,
    programme: unknown,
    id: string,
  ): { id: string; back: string; page: () => Promise<PageView> } {
    // Only a programme's id, else the country's first: the address stays the workspace's.
    const programmeId = typeof programme === 'string' && isUUID(programme) ? programme : undefined;
    return {
      id,
      back: `/app/countries/${code}${programmeId ? `?programme=${programmeId}` : ''}`,
      page: async () => ({
        view: 'country',
        data: await this.country.view(
          actor,
          code,
          programmeId,
          this.pages.language(request, actor.user),
        ),
      }),
    };
  }
}
