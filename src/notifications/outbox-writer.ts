import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { NotificationsRepository } from './notifications.repository.js';
import type { NotificationDraft } from './outbox.service.js';

/**
 * Writes messages into the notifications outbox, in the transaction of the change that causes
 * them; the relay (Outbox) sends them on. Apart from the queues, so that a module which only
 * writes messages (users, for invitations) needs no queue, as in the command line.
 */
@Injectable()
export class OutboxWriter {
  constructor(private readonly notifications: NotificationsRepository) {}

  /** Writes drafts in the caller's transaction; a dedupe key already written is skipped. Returns how many were new. */
  async add(manager: EntityManager, drafts: NotificationDraft[]): Promise<number> {
    if (drafts.length === 0) return 0;
    return this.notifications.insertDrafts(drafts, manager);
  }
}
