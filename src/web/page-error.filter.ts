import { ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthenticatedRequest } from '../auth/actor.decorator.js';
import { DomainError } from '../common/domain-error.js';
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
      await reply.redirect(`/login?next=${encodeURIComponent(request.url)}`, 303);
      return;
    }
    if (status >= 500) this.logger.error({ err: exception, requestId: request.id }, 'Page failed');
    const message =
      status < 500 && exception instanceof Error ? exception.message : 'Something went wrong';
    await this.pages.render(
      request,
      reply,
      'error',
      { title: `${status}`, status, message, requestId: request.id },
      request.principal ?? null,
      status,
    );
  }
}
