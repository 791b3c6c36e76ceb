import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { NotificationResponse } from './dto/notification.dto.js';
import type { Notification, NotificationStatus } from './notification.entity.js';
import type { NotificationDraft } from './outbox.service.js';

/** The columns of a notification as the delivery log answers it, over `notifications n`. */
export const NOTIFICATION_COLUMNS = `n.id, n.kind, n.channel, n.recipient, n.locale, n.subject, n.status, n.attempts,
  n.last_error AS "lastError", n.provider_response AS "providerResponse", n.not_before AS "notBefore",
  n.queued_at AS "queuedAt", n.sent_at AS "sentAt", n.programme_id AS "programmeId",
  n.country_code AS "countryCode", n.stakeholder_id AS "stakeholderId", n.created_at AS "createdAt"`;

/** What sending a notification reads of its row. */
export type OutgoingNotification = Pick<
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

/** A notification the receiver accepted. */
export interface SentNotification {
  id: string;
  at: Date;
  attempt: number;
  response: string;
}

/** The notifications table (the outbox and the delivery log): its reads and its only writes. */
@Injectable()
export class NotificationsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Inserts drafts; a dedupe key already written is skipped. Answers how many were new. */
  async insertDrafts(drafts: NotificationDraft[], manager: EntityManager): Promise<number> {
    const rows = await manager.query(
      `INSERT INTO notifications (kind, channel, dedupe_key, recipient, locale, subject, body_text, body_html,
                                  payload, not_before, programme_id, country_code, stakeholder_id, report_id)
       SELECT kind, channel, "dedupeKey", recipient, locale, subject, "bodyText", "bodyHtml", payload,
              "notBefore", "programmeId", "countryCode", "stakeholderId", "reportId"
       FROM json_to_recordset($1::json) AS d(kind text, channel text, "dedupeKey" text, recipient text,
         locale text, subject text, "bodyText" text, "bodyHtml" text, payload jsonb, "notBefore" timestamptz,
         "programmeId" uuid, "countryCode" text, "stakeholderId" uuid, "reportId" uuid)
       ON CONFLICT (dedupe_key) DO NOTHING
       RETURNING id`,
      [JSON.stringify(drafts)],
    );
    return rows.length;
  }

  /**
   * Marks up to `limit` pending rows queued, oldest first, skipping those another relay holds,
   * and answers them; they stay locked until the caller's transaction ends.
   */
  markPendingQueued(
    limit: number,
    now: Date,
    manager: EntityManager,
  ): Promise<{ id: string; notBefore: Date }[]> {
    return manager.query(
      `WITH picked AS (
         SELECT id FROM notifications WHERE status = 'pending' ORDER BY created_at LIMIT $2 FOR UPDATE SKIP LOCKED
       ), moved AS (
         UPDATE notifications n SET status = 'queued', queued_at = $1, updated_at = $1
         FROM picked WHERE n.id = picked.id RETURNING n.id, n.not_before AS "notBefore"
       )
       SELECT * FROM moved`,
      [now, limit],
    );
  }

  /** Queued or failed rows that went to the queue more than `seconds` ago, longest waiting first. */
  queuedLongerThan(now: Date, seconds: number, limit: number): Promise<{ id: string }[]> {
    return this.dataSource.query(
      `SELECT id FROM notifications
       WHERE status IN ('queued', 'failed') AND queued_at < $1::timestamptz - make_interval(secs => $2)
       ORDER BY queued_at LIMIT $3`,
      [now, seconds, limit],
    );
  }

  /** Puts these rows back to pending, those still queued or failed, for the relay to queue again. */
  async requeue(ids: string[], now: Date): Promise<void> {
    await this.dataSource.query(
      `UPDATE notifications SET status = 'pending', queued_at = NULL, updated_at = $2
       WHERE id = ANY($1) AND status IN ('queued', 'failed')`,
      [ids, now],
    );
  }

  /** The rows to send, in one statement; the missing ones are left out. */
  outgoing(ids: string[]): Promise<OutgoingNotification[]> {
    return this.dataSource.query(
      `SELECT id, channel, status, recipient, subject, body_text AS "bodyText", body_html AS "bodyHtml",
              payload, stakeholder_id AS "stakeholderId", report_id AS "reportId"
       FROM notifications WHERE id = ANY($1::uuid[])`,
      [ids],
    );
  }

  /** Marks these rows sent, in one statement. */
  async markSent(sent: SentNotification[]): Promise<void> {
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
  }

  /** Records an attempt that failed: the row is `failed` (to be retried) or `dead`. */
  async markUndelivered(
    id: string,
    status: Extract<NotificationStatus, 'failed' | 'dead'>,
    attempt: number,
    error: string,
    now: Date,
  ): Promise<void> {
    await this.dataSource.query(
      `UPDATE notifications SET status = $2, attempts = $3, last_error = $4, updated_at = $5 WHERE id = $1`,
      [id, status, attempt, error, now],
    );
  }

  /** A notification's status and country, locked for the rest of the caller's transaction. */
  async lockStatus(
    id: string,
    manager: EntityManager,
  ): Promise<{ id: string; status: NotificationStatus; countryCode: string | null } | undefined> {
    const [row] = await manager.query(
      `SELECT id, status, country_code AS "countryCode" FROM notifications WHERE id = $1 FOR UPDATE`,
      [id],
    );
    return row;
  }

  /** Puts a notification back to pending with its attempts reset, for the relay to queue again. */
  async resetToPending(id: string, now: Date, manager: EntityManager): Promise<void> {
    await manager.query(
      `UPDATE notifications SET status = 'pending', attempts = 0, queued_at = NULL, updated_at = $2 WHERE id = $1`,
      [id, now],
    );
  }

  /** A notification as the delivery log answers it. */
  async findResponse(
    id: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<NotificationResponse | undefined> {
    const [row] = await manager.query(
      `SELECT ${NOTIFICATION_COLUMNS} FROM notifications n WHERE n.id = $1`,
      [id],
    );
    return row;
  }
}
