import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { UnrecoverableError } from 'bullmq';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock.js';
import { PermanentDeliveryError } from './channels/delivery-error.js';
import { EmailChannel } from './channels/email.channel.js';
import { WebhookChannel } from './channels/webhook.channel.js';
import { Notification } from './notification.entity.js';

/**
 * Sends one notification and records the outcome. Safe to run twice for the same row: a sent or
 * dead notification is left alone. A failure is retried by the queue with growing waits; a
 * permanent one, or the last attempt, makes the row dead.
 */
@Injectable()
export class DeliveryService {
  private readonly logger = new Logger(DeliveryService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly email: EmailChannel,
    private readonly webhook: WebhookChannel,
    private readonly clock: Clock,
  ) {}

  async deliver(id: string, attempt: number, maxAttempts: number): Promise<void> {
    const notification = await this.dataSource.getRepository(Notification).findOneBy({ id });
    if (!notification || notification.status === 'sent' || notification.status === 'dead') return;
    try {
      const response = await this.send(notification);
      await this.dataSource.query(
        `UPDATE notifications SET status = 'sent', sent_at = $2, attempts = $3, provider_response = $4,
                last_error = NULL, updated_at = $2
         WHERE id = $1`,
        [id, this.clock.now(), attempt, response.slice(0, 1000)],
      );
    } catch (error) {
      const message = (error as Error).message.slice(0, 1000);
      const final = error instanceof PermanentDeliveryError || attempt >= maxAttempts;
      await this.dataSource.query(
        `UPDATE notifications SET status = $2, attempts = $3, last_error = $4, updated_at = $5 WHERE id = $1`,
        [id, final ? 'dead' : 'failed', attempt, message, this.clock.now()],
      );
      if (final) {
        this.logger.warn(`Notification ${id} is dead after ${attempt} attempt(s): ${message}`);
        throw new UnrecoverableError(message);
      }
      throw error;
    }
  }

  private async send(notification: Notification): Promise<string> {
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
    const [stakeholder] = await this.dataSource.query(
      `SELECT webhook_secret AS secret FROM stakeholders WHERE id = $1`,
      [notification.stakeholderId],
    );
    if (!stakeholder?.secret)
      throw new PermanentDeliveryError('The stakeholder has no webhook secret');
    return this.webhook.send({
      id: notification.id,
      url: notification.recipient,
      secret: stakeholder.secret,
      payload: notification.payload ?? {
        subject: notification.subject,
        text: notification.bodyText,
      },
    });
  }

  private async reportFiles(reportId: string) {
    const files: { filename: string; content: Buffer; contentType: string }[] =
      await this.dataSource.query(
        `SELECT file_name AS filename, content, content_type AS "contentType" FROM report_files
         WHERE report_id = $1 ORDER BY format`,
        [reportId],
      );
    if (files.length === 0) throw new PermanentDeliveryError(`Report ${reportId} has no files`);
    return files;
  }
}
