import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock.js';
import { OutboxWriter } from '../notifications/outbox-writer.js';
import { renderDigest } from '../messages/message-renderer.js';
import { EventsRepository } from './events.repository.js';
import { UserPreferencesQuery } from './user-preferences.query.js';

/** The local hour from which a user's digest of the days before is sent. */
export const DIGEST_HOUR = 8;

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
    private readonly events: EventsRepository,
    private readonly users: UserPreferencesQuery,
    private readonly outbox: OutboxWriter,
    private readonly clock: Clock,
  ) {}

  async sendDue(): Promise<number> {
    const now = this.clock.now();
    const due = await this.users.dueDigests(now, DIGEST_HOUR);
    let sent = 0;
    for (const user of due) {
      sent += await this.dataSource.transaction(async (manager) => {
        const entries = await this.events.markDigested(user.id, user.today, user.timezone, manager);
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
