import { ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthenticatedRequest } from '../auth/actor.decorator.js';
import { AuthErrors } from '../auth/auth.errors.js';
import { DomainError } from '../common/domain-error.js';
import { problemForStatus } from '../common/problem-details.filter.js';
import { formatError } from '../messages/catalog.js';
import { isLocale } from '../messages/locales.js';
import { PageRenderer } from './page-renderer.js';

/** Errors on pages: to sign-in when signed out, else a page that says what went wrong. */
@Catch()
export class PageErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger(PageErrorFilter.name);

  constructor(private readonly pages: PageRenderer) {}

  async catch(exception: unknown, host: ArgumentsHost): Promise<void> {
    const request = host.switchToHttp().getRequest<FastifyRequest & AuthenticatedRequest>();
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const status =
      exception instanceof DomainError
        ? exception.status
        : exception instanceof HttpException
          ? exception.getStatus()
          : 500;
    if (status === 401) {
      // The language asked for in the address is the sign-in page's too.
      const asked = (request.query as { lang?: unknown } | undefined)?.lang;
      const lang = isLocale(asked) ? `&lang=${asked}` : '';
      // Back to the page after sign-in; a form's post (its session expired) is not a page to open.
      const next = request.method === 'GET' ? request.url : '/';
      await reply.redirect(`/login?next=${encodeURIComponent(next)}${lang}`, 303);
      return;
    }
    if (
      exception instanceof DomainError &&
      exception.code === AuthErrors.password_change_required.code
    ) {
      // The only page such a user may use: there they choose their own password.
      await reply.redirect('/app/account', 303);
      return;
    }
    if (status >= 500) this.logger.error({ err: exception, requestId: request.id }, 'Page failed');
    const locale = this.pages.language(request, request.principal ?? null);
    const problem = problemForStatus(status, locale);
    const message =
      exception instanceof DomainError && status < 500
        ? formatError(exception.entry.messageKey, exception.params, locale)
        : problem.detail;
    try {
      await this.pages.render(
        request,
        reply,
        'error',
        { title: problem.title, rawTitle: true, status, message, requestId: request.id },
        request.principal ?? null,
        status,
      );
    } catch (error) {
      // The error page itself failed: an answer all the same, rather than a request left hanging.
      this.logger.error({ err: error, requestId: request.id }, 'Error page failed');
      if (!reply.sent) await reply.code(500).type('text/plain; charset=utf-8').send(problem.title);
    }
  }
}
