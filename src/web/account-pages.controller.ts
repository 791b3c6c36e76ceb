import { Controller, Get, Post, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Roles } from '../auth/access.decorators.js';
import { type Credential, CurrentActor, CurrentCredential } from '../auth/actor.decorator.js';
import { AuthService } from '../auth/auth.service.js';
import { ChangePasswordDto } from '../auth/dto/auth.dto.js';
import { ANY_ROLE, type Actor } from '../auth/roles.js';
import { Body } from '../common/body.decorator.js';
import { PageErrorFilter } from './page-error.filter.js';
import { PageForms } from './page-forms.js';
import { PageRenderer } from './page-renderer.js';

const ACCOUNT_PAGE = { view: 'account', data: { title: 'yourAccount' } };

/** Everyone's own account: their password, whatever their role. */
@ApiExcludeController()
@UseFilters(PageErrorFilter)
@Controller('app/account')
export class AccountPagesController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly forms: PageForms,
    private readonly auth: AuthService,
  ) {}

  @Get()
  @Roles(...ANY_ROLE)
  async accountPage(
    @CurrentActor() actor: Actor,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.pages.render(request, reply, ACCOUNT_PAGE.view, ACCOUNT_PAGE.data, actor.user);
  }

  /** The user's other sessions end; this one goes on. */
  @Post('password')
  @Roles(...ANY_ROLE)
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
      page: async () => ACCOUNT_PAGE,
    });
  }
}
