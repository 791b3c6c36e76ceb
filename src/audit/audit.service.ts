import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

export interface AuditEntry {
  actorId: string | null;
  action: string;
  entityType: string;
  entityId?: string | null;
  countryCode?: string | null;
  before?: object | null;
  after?: object | null;
  requestId?: string | null;
}

@Injectable()
export class AuditService {
  /** Records a change with the manager of the transaction that makes it. */
  async record(manager: EntityManager, entry: AuditEntry): Promise<void> {
    await manager.query(
      `INSERT INTO audit_events
         (actor_id, action, entity_type, entity_id, country_code, before, after, request_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        entry.actorId,
        entry.action,
        entry.entityType,
        entry.entityId ?? null,
        entry.countryCode ?? null,
        entry.before ? JSON.stringify(entry.before) : null,
        entry.after ? JSON.stringify(entry.after) : null,
        entry.requestId ?? null,
      ],
    );
  }
}
