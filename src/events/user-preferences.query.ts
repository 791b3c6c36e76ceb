import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { DeliveryMode, EventKind } from './event-kinds.js';

/**
 * A user's digest time zone, for SQL over `users u LEFT JOIN notification_preferences p`: the one
 * they chose for it, else their account's, else their country's (national teams), else their
 * region's (regional coordinators), else UTC (ITU staff and observers, who work across zones).
 */
export const DIGEST_TIMEZONE = `coalesce(p.timezone, u.timezone,
  (SELECT timezone FROM countries WHERE code = u.country_code),
  (SELECT timezone FROM regions WHERE code = u.region_code), 'UTC')`;

/** A user whose daily digest is due, with the day it is for in their time zone. */
export interface DueDigest {
  id: string;
  email: string;
  name: string;
  locale: string;
  timezone: string;
  today: string;
}

/** A user's preferences as stored, with the digest time zone that applies to them. */
export interface StoredPreferences {
  modes: Partial<Record<EventKind, DeliveryMode>> | null;
  timezone: string | null;
  digestTimezone: string;
}

/**
 * Users with their notification preferences as they apply: a read model over users,
 * notification_preferences, digest_items, and the countries and regions whose time zones a
 * user's digest falls back to.
 */
@Injectable()
export class UserPreferencesQuery {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The user's preferences; a user who never set them has null modes and time zone. */
  async of(
    userId: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<StoredPreferences> {
    const [row]: StoredPreferences[] = await manager.query(
      `SELECT p.modes, p.timezone, ${DIGEST_TIMEZONE} AS "digestTimezone"
         FROM users u LEFT JOIN notification_preferences p ON p.user_id = u.id WHERE u.id = $1`,
      [userId],
    );
    return row;
  }

  /**
   * The enabled users for whom it is `hour` or later at `now` in their digest time zone and who
   * have items not yet digested from before their day began.
   */
  dueDigests(now: Date, hour: number): Promise<DueDigest[]> {
    return this.dataSource.query(
      `SELECT u.id, u.email, u.display_name AS name, u.locale, z.timezone,
              to_char(($1::timestamptz AT TIME ZONE z.timezone)::date, 'YYYY-MM-DD') AS today
       FROM users u
       LEFT JOIN notification_preferences p ON p.user_id = u.id
       CROSS JOIN LATERAL (SELECT ${DIGEST_TIMEZONE} AS timezone) z
       WHERE NOT u.disabled
         AND extract(hour FROM $1::timestamptz AT TIME ZONE z.timezone) >= $2
         AND EXISTS (
           SELECT 1 FROM digest_items i
           WHERE i.user_id = u.id AND i.digested_on IS NULL
             AND i.occurred_at < ($1::timestamptz AT TIME ZONE z.timezone)::date::timestamp AT TIME ZONE z.timezone)`,
      [now, hour],
    );
  }
}
