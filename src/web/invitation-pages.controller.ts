import { Controller, Get, Param, Post, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../auth/access.decorators.js';
import { AuthErrors } from '../auth/auth.errors.js';
import { AuthService } from '../auth/auth.service.js';
import { InvitationPasswordDto } from '../auth/dto/auth.dto.js';
import { Body } from '../common/body.decorator.js';
import { CommonErrors } from '../common/common.errors.js';
import { DomainError } from '../common/domain-error.js';
import { createValidationPipe } from '../common/validation.js';
import { formatError, formatMessage } from '../messages/catalog.js';
import { isLocale } from '../messages/locales.js';
import { InvitationsService } from '../users/invitations.service.js';
import { UserErrors } from '../users/user.errors.js';
import { PageErrorFilter } from './page-error.filter.js';
import { apiInput, postedFields } from './page-forms.js';
import { PageRenderer } from './page-renderer.js';
import { RefusedForm } from './refused-form.js';
import { isSameOrigin } from './sign-in-pages.controller.js';

const validation = createValidationPipe();

/** The pages' language cookie (PageRenderer's), which an explicit choice of this browser put there. */
const LANGUAGE_COOKIE = 'lang';

/** An invitation that can no longer be accepted: unknown or used (404), or expired (410). */
function isSpent(error: unknown): error is DomainError {
  return (
    error instanceof DomainError &&
    (error.entry === UserErrors.invitation_invalid || error.entry === UserErrors.invitation_expired)
  );
}

/** The page's own requests (its style sheet, its script) do not carry its address, the token. */
function withoutReferrer(reply: FastifyReply): void {
  void reply.header('referrer-policy', 'no-referrer');
}

/**
 * The page of an invitation's link, where an invited user, who cannot sign in yet, chooses their
 * password and is signed in. Public: the token is the credential. It has 256 random bits, so
 * guessing one is hopeless and the routes need no limiter. With no session there is no CSRF
 * token; as on the sign-in page, a post must come from this site's own page.
 */
@ApiExcludeController()
@UseFilters(PageErrorFilter)
@Controller('invitation')
export class InvitationPagesController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly invitations: InvitationsService,
    private readonly auth: AuthService,
  ) {}

  @Get(':token')
  @Public()
  async invitationPage(
    @Param('token') token: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    withoutReferrer(reply);
    await this.show(request, reply, token);
  }

  /** The password is set and the user signed in, then on to their start page. */
  @Post(':token')
  @Public()
  async accept(
    @Param('token') token: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Body() body: unknown,
  ): Promise<void> {
    withoutReferrer(reply);
    if (!isSameOrigin(request)) throw new DomainError(AuthErrors.cross_site_login);
    try {
      const input: InvitationPasswordDto = await validation.transform(
        apiInput(postedFields(body)),
        { type: 'body', metatype: InvitationPasswordDto },
      );
      const session = await this.auth.acceptInvitation(
        { token, newPassword: input.newPassword },
        { ip: request.ip, requestId: request.id },
        'page',
      );
      this.pages.startSession(reply, session!.accessToken, session!.expiresIn);
      this.pages.confirm(reply, 'done.invitationAccepted');
      await reply.redirect('/', 303);
    } catch (error) {
      if (!(error instanceof DomainError) || error.status >= 500) throw error;
      if (isSpent(error)) {
        await this.spent(request, reply, error);
        return;
      }
      // The refusal is worded once the page's language is known (the invited user's).
      await this.show(request, reply, token, error);
    }
  }

  /** The form, in the invited user's language unless this browser chose another; else why not. */
  private async show(
    request: FastifyRequest,
    reply: FastifyReply,
    token: string,
    refusal?: DomainError,
  ): Promise<void> {
    let invitation;
    try {
      invitation = await this.invitations.view(token);
    } catch (error) {
      if (!isSpent(error)) throw error;
      await this.spent(request, reply, error);
      return;
    }
    const query = (request.query ?? {}) as Record<string, unknown>;
    if (
      !isLocale(query.lang) &&
      !isLocale(request.cookies[LANGUAGE_COOKIE]) &&
      isLocale(invitation.locale)
    ) {
      request.query = { ...query, lang: invitation.locale };
    }
    const lang = this.pages.language(request, null);
    const refused = refusal
      ? new RefusedForm(
          'invitation',
          refusal.entry === CommonErrors.validation_failed
            ? formatMessage('pages', lang, 'formHasErrors')
            : formatError(refusal.entry.messageKey, refusal.params, lang),
          refusal.errors ?? [],
          // A password is never written back into the page.
          {},
          lang,
        )
      : undefined;
    await this.pages.render(
      request,
      reply,
      'invitation',
      {
        title: 'invitation.pageTitle',
        pageUrl: `/invitation/${token}`,
        // Isolated, so that a name in another script does not reorder the sentence around it.
        name: `\u2068${invitation.displayName}\u2069`,
        email: invitation.email,
        token,
        refused,
      },
      null,
      refusal?.status ?? 200,
    );
  }

  /**
   * Why the link no longer works, in the browser's language: an unknown and a used token get the
   * same page, so that it tells nothing of which tokens were real.
   */
  private async spent(request: FastifyRequest, reply: FastifyReply, error: DomainError) {
    await this.pages.render(
      request,
      reply,
      'invitation',
      {
        title: 'invitation.invalidTitle',
        spent:
          error.entry === UserErrors.invitation_expired
            ? 'invitation.expired'
            : 'invitation.invalid',
      },
      null,
      error.status,
    );
  }
}
