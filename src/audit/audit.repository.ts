import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { AuditAction } from './audit-actions.js';

export interface AuditEntry {
  actorId: string | null;
  action: AuditAction;
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

/** The SQL of the audit trail (audit_events), which only ever grows. */
@Injectable()
export class AuditRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Inserts one event with the manager of the transaction that makes the change. */
  async insert(entry: AuditEntry, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager.query(
      `INSERT INTO audit_events (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      valuesOf(entry),
    );
  }

  /**
   * The INSERT of one event per row of `source` (a CTE of the caller's statement), with its
   * parameters numbered from `firstParameter`.
   */
  insertPerRowSql(
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
