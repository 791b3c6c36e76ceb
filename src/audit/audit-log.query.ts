import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AccessPolicy } from '../auth/access-policy.js';
import type { Principal } from '../auth/roles.js';
import { type Page, paginate } from '../common/pagination.js';
import type { AuditEventResponse, AuditQuery } from './dto/audit.dto.js';

/**
 * Reads the audit trail, newest first. Administrators and ITU project managers see all of it;
 * coordinators and national teams see the events of the countries in their scope.
 */
@Injectable()
export class AuditLogQuery {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly policy: AccessPolicy,
  ) {}

  async list(user: Principal, query: AuditQuery): Promise<Page<AuditEventResponse>> {
    this.policy.assertMayRead(user, 'audit');
    const scope = this.policy.readScope(user);
    const params: unknown[] = [];
    const where = [
      scope.kind === 'all'
        ? 'TRUE'
        : this.policy.scopeSql(
            scope,
            { country: 'a.country_code', region: 'c.region_code' },
            params,
          ),
    ];
    const filter = (sql: string, value: string | undefined) => {
      if (value === undefined) return;
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    filter('a.entity_type = ?', query.entityType);
    filter('a.entity_id = ?', query.entityId);
    filter('a.country_code = ?', query.countryCode);
    filter('a.actor_id = ?', query.actorId);
    filter('a.occurred_at >= ?::timestamptz', query.from);
    filter('a.occurred_at < ?::timestamptz', query.to);
    return paginate<AuditEventResponse>(
      this.dataSource,
      query,
      {
        rows: `SELECT a.id::text AS id, a.occurred_at AS "occurredAt",
              a.actor_id AS "actorId", a.action, a.entity_type AS "entityType", a.entity_id AS "entityId",
              a.country_code AS "countryCode", a.before, a.after, a.request_id AS "requestId"
       FROM audit_events a LEFT JOIN countries c ON c.code = a.country_code
       WHERE ${where.join(' AND ')}`,
        orderBy: 'a.id DESC',
      },
      params,
    );
  }
}
