import { Module } from '@nestjs/common';
import { NotificationsRepository } from './notifications.repository.js';
import { OutboxWriter } from './outbox-writer.js';

/** The notifications table's SQL and the outbox's writer: what writing a message needs, no queue. */
@Module({
  providers: [NotificationsRepository, OutboxWriter],
  exports: [NotificationsRepository, OutboxWriter],
})
export class OutboxWriterModule {}
