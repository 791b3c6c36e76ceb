import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { UnrecoverableError } from 'bullmq';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock.js';
import { HostBusyError, PermanentDeliveryError } from './channels/delivery-error.js';
import { EmailChannel } from './channels/email.channel.js';
import { WebhookChannel } from './channels/webhook.channel.js';
import { GroupedStatement } from './grouped-statement.js';
import type { Notification } from './notification.entity.js';

/** What sending a notification reads of its row. */
type Outgoing = Pick<
  Notification,
  | 'id'
  | 'channel'
  | 'status'
  | 'recipient'
  | 'subject'
  | 'bodyText'
  | 'bodyHtml'
  | 'payload'
  | 'stakeholderId'
  | 'reportId'
>;

interface Sent {
  id: string;
  at: Date;
  attempt: number;
  response: string;
}

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
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly email: EmailChannel,
    private readonly webhook: WebhookChannel,
    private readonly clock: Clock,
  ) {}

  private readonly rows = new GroupedStatement<string, Outgoing | undefined>(async (ids) => {
    const rows: Outgoing[] = await this.dataSource.query(
      `SELECT id, channel, status, recipient, subject, body_text AS "bodyText", body_html AS "bodyHtml",
              payload, stakeholder_id AS "stakeholderId", report_id AS "reportId"
       FROM notifications WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => byId.get(id));
  });

  private readonly sent = new GroupedStatement<Sent, void>(async (sent) => {
    await this.dataSource.query(
      `UPDATE notifications n
       SET status = 'sent', sent_at = s.at, attempts = s.attempt, provider_response = s.response,
           last_error = NULL, updated_at = s.at
       FROM unnest($1::uuid[], $2::timestamptz[], $3::int[], $4::text[]) AS s(id, at, attempt, response)
       WHERE n.id = s.id`,
      [
        sent.map((row) => row.id),
        sent.map((row) => row.at.toISOString()),
        sent.map((row) => row.attempt),
        sent.map((row) => row.response),
      ],
    );
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

  private async send(notification: Outgoing): Promise<string> {
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
