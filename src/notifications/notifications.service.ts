import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AccessPolicy } from '../auth/access-policy.js';
import type { Actor } from '../auth/roles.js';
import { AuditService } from '../audit/audit.service.js';
import { Clock } from '../common/clock.js';
import { DomainError, invalidField, notFound } from '../common/domain-error.js';
import type { Page } from '../common/pagination.js';
import { PermanentDeliveryError, TransientDeliveryError } from './channels/delivery-error.js';
import { EmailChannel } from './channels/email.channel.js';
import { WebhookChannel, newWebhookSecret } from './channels/webhook.channel.js';
import type {
  NotificationResponse,
  NotificationsQuery,
  TestNotificationDto,
  TestNotificationResult,
} from './dto/notification.dto.js';
import { NotificationErrors, NotificationFieldErrors } from './notification.errors.js';
import { NotificationLogQuery } from './notification-log.query.js';
import { NotificationsRepository } from './notifications.repository.js';

/** The delivery log and its operations: list, retry, and a test message sent at once. */
@Injectable()
export class NotificationsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly notifications: NotificationsRepository,
    private readonly log: NotificationLogQuery,
    private readonly policy: AccessPolicy,
    private readonly audit: AuditService,
    private readonly email: EmailChannel,
    private readonly webhook: WebhookChannel,
    private readonly clock: Clock,
  ) {}

  async list(actor: Actor, query: NotificationsQuery): Promise<Page<NotificationResponse>> {
    this.policy.assertMayRead(actor.user, 'notifications');
    return this.log.page(actor.user, query);
  }

  /** A dead or failed notification goes back to pending; the relay queues it again. */
  async retry(actor: Actor, id: string): Promise<NotificationResponse> {
    return this.dataSource.transaction(async (manager) => {
      const row = await this.notifications.lockStatus(id, manager);
      if (!row) throw notFound(`Notification ${id}`);
      if (row.status !== 'dead' && row.status !== 'failed') {
        throw new DomainError(NotificationErrors.not_retryable, { id, status: row.status });
      }
      await this.notifications.resetToPending(id, this.clock.now(), manager);
      await this.audit.record(manager, {
        actorId: actor.user.id,
        action: 'notification.retried',
        entityType: 'notification',
        entityId: id,
        countryCode: row.countryCode,
        before: { status: row.status },
        after: { status: 'pending' },
        requestId: actor.requestId,
      });
      return (await this.notifications.findResponse(id, manager))!;
    });
  }

  /** Sends a test message now and answers what the mail server or the receiver said. */
  async sendTest(actor: Actor, dto: TestNotificationDto): Promise<TestNotificationResult> {
    if ((dto.email === undefined) === (dto.webhookUrl === undefined)) {
      throw invalidField('email', NotificationFieldErrors.email_or_webhook);
    }
    const id = `test-${this.clock.now().getTime()}-${actor.user.id.slice(0, 8)}`;
    try {
      if (dto.email) {
        const response = await this.email.send({
          id,
          to: dto.email,
          subject: 'cirt-tracker test message',
          text: `This is a test message from cirt-tracker, sent by ${actor.user.displayName}.`,
        });
        return { channel: 'email', delivered: true, response };
      }
      const secret = newWebhookSecret();
      const response = await this.webhook.send({
        id,
        url: dto.webhookUrl!,
        secret,
        payload: { type: 'test', id },
      });
      return { channel: 'webhook', delivered: true, response, signingSecret: secret };
    } catch (error) {
      if (error instanceof PermanentDeliveryError || error instanceof TransientDeliveryError) {
        return {
          channel: dto.email ? 'email' : 'webhook',
          delivered: false,
          response: error.message,
        };
      }
      throw error;
    }
  }
}
