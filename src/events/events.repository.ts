import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { DeliveryMode, EventKind } from './event-kinds.js';

/** An event a user takes in their daily digest, waiting for it. */
export interface NewDigestItem {
  userId: string;
  dedupeKey: string;
  kind: EventKind;
  subject: string;
  url: string;
  occurredAt: Date;
}

/** The tables of the events module, digest_items and notification_preferences: their only writes. */
@Injectable()
export class EventsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Adds items to their users' next digests; a dedupe key already written is skipped. */
  async insertDigestItems(
    items: NewDigestItem[],
    manager: EntityManager = this.dataSource.manager,
  ): Promise<void> {
    await manager.query(
      `INSERT INTO digest_items (user_id, dedupe_key, kind, subject, url, occurred_at)
       SELECT "userId", "dedupeKey", kind, subject, url, "occurredAt"
       FROM json_to_recordset($1::json)
         AS d("userId" uuid, "dedupeKey" text, kind text, subject text, url text, "occurredAt" timestamptz)
       ON CONFLICT (dedupe_key) DO NOTHING`,
      [JSON.stringify(items)],
    );
  }

  /**
   * Marks as digested on `day` the user's items not yet digested that happened before that day
   * began in `timezone`, and answers them in the order they happened.
   */
  markDigested(
    userId: string,
    day: string,
    timezone: string,
    manager: EntityManager,
  ): Promise<{ subject: string; url: string }[]> {
    return manager.query(
      `WITH listed AS (
         UPDATE digest_items SET digested_on = $2::date
         WHERE user_id = $1 AND digested_on IS NULL AND occurred_at < $2::date::timestamp AT TIME ZONE $3::text
         RETURNING subject, url, occurred_at
       )
       SELECT subject, url FROM listed ORDER BY occurred_at, subject`,
      [userId, day, timezone],
    );
  }

  /** Writes a user's preferences in place of any they had. */
  async replacePreferences(
    userId: string,
    modes: Partial<Record<EventKind, DeliveryMode>>,
    timezone: string | null,
    at: Date,
    manager: EntityManager,
  ): Promise<void> {
    await manager.query(
      `INSERT INTO notification_preferences (user_id, modes, timezone, updated_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (user_id) DO UPDATE
       SET modes = EXCLUDED.modes, timezone = EXCLUDED.timezone, updated_at = EXCLUDED.updated_at`,
      [userId, modes, timezone, at],
    );
  }
}
