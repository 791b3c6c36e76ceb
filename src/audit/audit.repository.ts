import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { Clock } from '../common/clock.js';
import type { AuditAction, AuditEntityType } from './audit-actions.js';

export interface AuditEntry {
  actorId: string | null;
  action: AuditAction;
  entityType: AuditEntityType;
  entityId?: string | null;
  countryCode?: string | null;
  before?: object | null;
  after?: object | null;
  requestId?: string | null;
}

const COLUMNS = `occurred_at, actor_id, action, entity_type, entity_id, country_code, before, after, request_id`;

function valuesOf(entry: AuditEntry, occurredAt: Date): unknown[] {
  return [
    occurredAt,
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

/**
 * The SQL of the audit trail (audit_events), which only ever grows. An event is dated by the
 * injected Clock, as the change it records is, not by the database's now(): the demo's history
 * and the tests that move the clock get events at the moments of their changes.
 */
@Injectable()
export class AuditRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  /** Inserts one event with the manager of the transaction that makes the change. */
  async insert(entry: AuditEntry, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager.query(
      `INSERT INTO audit_events (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      valuesOf(entry, this.clock.now()),
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
    const parameters = valuesOf(entry, this.clock.now());
    const placeholders = parameters.map((_, index) => `$${firstParameter + index}`).join(', ');
    return {
      sql: `INSERT INTO audit_events (${COLUMNS}) SELECT ${placeholders} FROM ${source}`,
      parameters,
    };
  }
}
