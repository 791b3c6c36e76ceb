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

const COLUMNS = `actor_id, action, entity_type, entity_id, country_code, before, after, request_id`;

function valuesOf(entry: AuditEntry): unknown[] {
  return [
    entry.actorId,
    entry.action,
    entry.entityType,
    entry.entityId ?? null,
    entry.countryCode ?? null,
    entry.before ? JSON.stringify(entry.before) : null,
    entry.after ? JSON.stringify(entry.after) : null,
    entry.requestId ?? null,
  ];
}

@Injectable()
export class AuditService {
  /** Records a change with the manager of the transaction that makes it. */
  async record(manager: EntityManager, entry: AuditEntry): Promise<void> {
    await manager.query(
      `INSERT INTO audit_events (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      valuesOf(entry),
    );
  }

  /**
   * The INSERT that records the entry once per row of `source`, a CTE of the same statement, so
   * that a change and its audit event are written together or not at all in one round trip.
   * Its parameters are numbered from `firstParameter`.
   */
  insertPerRow(
    source: string,
    entry: AuditEntry,
    firstParameter: number,
  ): { sql: string; parameters: unknown[] } {
    const parameters = valuesOf(entry);
    const placeholders = parameters.map((_, index) => `$${firstParameter + index}`).join(', ');
    return {
      sql: `INSERT INTO audit_events (${COLUMNS}) SELECT ${placeholders} FROM ${source}`,
      parameters,
    };
  }
}
