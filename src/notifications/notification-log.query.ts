import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AccessPolicy } from '../auth/access-policy.js';
import type { Principal } from '../auth/roles.js';
import { type Page, paginate } from '../common/pagination.js';
import type { NotificationResponse, NotificationsQuery } from './dto/notification.dto.js';
import { NOTIFICATION_COLUMNS } from './notifications.repository.js';

/**
 * The delivery log, newest first, limited to the countries in the user's read scope: a read
 * model over notifications and countries (a region's scope reads the country's region).
 */
@Injectable()
export class NotificationLogQuery {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly policy: AccessPolicy,
  ) {}

  page(user: Principal, query: NotificationsQuery): Promise<Page<NotificationResponse>> {
    const params: unknown[] = [];
    const scope = this.policy.readScope(user);
    const where = [
      scope.kind === 'all'
        ? 'TRUE'
        : this.policy.scopeSql(
            scope,
            { country: 'n.country_code', region: 'c.region_code' },
            params,
          ),
    ];
    const equal = (column: string, value: string | undefined) => {
      if (value === undefined) return;
      params.push(value);
      where.push(`${column} = $${params.length}`);
    };
    equal('n.programme_id', query.programmeId);
    equal('n.status', query.status);
    equal('n.kind', query.kind);
    equal('n.channel', query.channel);
    return paginate<NotificationResponse>(
      this.dataSource,
      query,
      {
        rows: `SELECT ${NOTIFICATION_COLUMNS}
       FROM notifications n LEFT JOIN countries c ON c.code = n.country_code
       WHERE ${where.join(' AND ')}`,
        orderBy: 'n.created_at DESC, n.id',
      },
      params,
    );
  }
}
