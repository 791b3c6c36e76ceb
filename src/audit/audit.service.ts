import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { type AuditEntry, AuditRepository } from './audit.repository.js';

export type { AuditEntry } from './audit.repository.js';

/** How every module records its changes; the SQL is the audit repository's. */
@Injectable()
export class AuditService {
  constructor(private readonly repository: AuditRepository) {}

  /** Records a change with the manager of the transaction that makes it. */
  async record(manager: EntityManager, entry: AuditEntry): Promise<void> {
    await this.repository.insert(entry, manager);
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
    return this.repository.insertPerRowSql(source, entry, firstParameter);
  }
}
