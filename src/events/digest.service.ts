import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock.js';
import { Outbox } from '../notifications/outbox.service.js';
import { renderDigest } from '../messages/message-renderer.js';
import { DIGEST_TIMEZONE } from './notification-preferences.service.js';

/** The local hour from which a user's digest of the days before is sent. */
export const DIGEST_HOUR = 8;

interface DueDigest {
  id: string;
  email: string;
  name: string;
  locale: string;
  timezone: string;
  today: string;
}

/**
 * The daily digests: from 08:00 in each user's time zone, one e-mail listing the events they
 * chose to hear of in a digest that happened before that day began. The items listed are marked
 * with the day in the transaction that writes the e-mail to the outbox, and the e-mail's dedupe
 * key holds the user and the day: however many ticks run, a day's digest is sent once, and a
 * digest with nothing to list is not written at all.
 */
@Injectable()
export class DigestService {
  private readonly logger = new Logger(DigestService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
  ) {}

  async sendDue(): Promise<number> {
    const now = this.clock.now();
    const due: DueDigest[] = await this.dataSource.query(
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
      [now, DIGEST_HOUR],
    );
    let sent = 0;
    for (const user of due) {
      sent += await this.dataSource.transaction(async (manager) => {
        const entries: { subject: string; url: string }[] = await manager.query(
          `WITH listed AS (
             UPDATE digest_items SET digested_on = $2::date
             WHERE user_id = $1 AND digested_on IS NULL AND occurred_at < $2::date::timestamp AT TIME ZONE $3::text
             RETURNING subject, url, occurred_at
           )
           SELECT subject, url FROM listed ORDER BY occurred_at, subject`,
          [user.id, user.today, user.timezone],
        );
        if (entries.length === 0) return 0; // another tick listed them first
        const message = renderDigest(user.locale, {
          recipientName: user.name,
          date: user.today,
          entries,
        });
        return this.outbox.add(manager, [
          {
            kind: 'event.daily_digest',
            channel: 'email',
            dedupeKey: `digest:${user.id}:${user.today}`,
            recipient: user.email,
            locale: user.locale,
            subject: message.subject,
            bodyText: message.text,
            bodyHtml: message.html,
            notBefore: now,
          },
        ]);
      });
    }
    if (sent > 0) this.logger.log(`Daily digests: ${sent} written`);
    return sent;
  }
}
