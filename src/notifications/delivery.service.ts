import { Injectable, Logger } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import { Clock } from '../common/clock.js';
import { StakeholdersService } from '../stakeholders/stakeholders.service.js';
import { HostBusyError, PermanentDeliveryError } from './channels/delivery-error.js';
import { EmailChannel } from './channels/email.channel.js';
import { WebhookChannel } from './channels/webhook.channel.js';
import { GroupedStatement } from './grouped-statement.js';
import {
  NotificationsRepository,
  type OutgoingNotification,
  type SentNotification,
} from './notifications.repository.js';
import { ReportAttachmentsQuery } from './report-attachments.query.js';

/**
 * Sends one notification and records the outcome. Safe to run twice for the same row: a sent or
 * dead notification is left alone. A failure is retried by the queue with growing waits; a
 * permanent one, or the last attempt, makes the row dead.
 *
 * The deliveries running at the same time share their statements: rows are read, and marked
 * sent, for all of them in one round trip (a few at a time, as many as the worker runs). Each
 * delivery still waits for its own row to be marked sent before it ends, so a worker that dies
 * repeats no more messages than it had in flight.
 */
@Injectable()
export class DeliveryService {
  private readonly logger = new Logger(DeliveryService.name);

  constructor(
    private readonly notifications: NotificationsRepository,
    private readonly stakeholders: StakeholdersService,
    private readonly attachments: ReportAttachmentsQuery,
    private readonly email: EmailChannel,
    private readonly webhook: WebhookChannel,
    private readonly clock: Clock,
  ) {}

  private readonly rows = new GroupedStatement<string, OutgoingNotification | undefined>(
    async (ids) => {
      const rows = await this.notifications.outgoing(ids);
      const byId = new Map(rows.map((row) => [row.id, row]));
      return ids.map((id) => byId.get(id));
    },
  );

  private readonly sent = new GroupedStatement<SentNotification, void>(async (sent) => {
    await this.notifications.markSent(sent);
    return sent.map(() => undefined);
  });

  async deliver(id: string, attempt: number, maxAttempts: number): Promise<void> {
    const notification = await this.rows.call(id);
    if (!notification || notification.status === 'sent' || notification.status === 'dead') return;
    try {
      const response = await this.send(notification);
      await this.sent.call({
        id,
        at: this.clock.now(),
        attempt,
        response: response.slice(0, 1000),
      });
    } catch (error) {
      if (error instanceof HostBusyError) throw error;
      const message = (error as Error).message.slice(0, 1000);
      const final = error instanceof PermanentDeliveryError || attempt >= maxAttempts;
      await this.notifications.markUndelivered(
        id,
        final ? 'dead' : 'failed',
        attempt,
        message,
        this.clock.now(),
      );
      if (final) {
        this.logger.warn(`Notification ${id} is dead after ${attempt} attempt(s): ${message}`);
        throw new UnrecoverableError(message);
      }
      throw error;
    }
  }

  private async send(notification: OutgoingNotification): Promise<string> {
    if (notification.channel === 'email') {
      return this.email.send({
        id: notification.id,
        to: notification.recipient,
        subject: notification.subject,
        text: notification.bodyText,
        html: notification.bodyHtml,
        attachments: notification.reportId ? await this.reportFiles(notification.reportId) : [],
      });
    }
    const secret = await this.stakeholders.webhookSecretOf(notification.stakeholderId);
    if (!secret) throw new PermanentDeliveryError('The stakeholder has no webhook secret');
    return this.webhook.send({
      id: notification.id,
      url: notification.recipient,
      secret,
      payload: notification.payload ?? {
        subject: notification.subject,
        text: notification.bodyText,
      },
    });
  }

  private async reportFiles(reportId: string) {
    const files = await this.attachments.filesOf(reportId);
    if (files.length === 0) throw new PermanentDeliveryError(`Report ${reportId} has no files`);
    return files;
  }
}
