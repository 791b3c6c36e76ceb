import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { Actor, Principal } from '../auth/roles.js';
import { AuditService } from '../audit/audit.service.js';
import { Clock } from '../common/clock.js';
import type {
  NotificationPreferencesResponse,
  UpdateNotificationPreferencesDto,
} from './dto/notification-preferences.dto.js';
import { type DeliveryMode, EVENT_KINDS, type EventKind } from './event-kinds.js';

/**
 * A user's digest time zone, for SQL over `users u LEFT JOIN notification_preferences p`: the one
 * they chose, else their country's (national teams), else their region's (regional coordinators),
 * else UTC (ITU staff and observers, who work across zones).
 */
export const DIGEST_TIMEZONE = `coalesce(p.timezone,
  (SELECT timezone FROM countries WHERE code = u.country_code),
  (SELECT timezone FROM regions WHERE code = u.region_code), 'UTC')`;

@Injectable()
export class NotificationPreferencesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async get(
    user: Principal,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<NotificationPreferencesResponse> {
    const [row]: {
      modes: Partial<Record<EventKind, DeliveryMode>> | null;
      timezone: string | null;
      digestTimezone: string;
    }[] = await manager.query(
      `SELECT p.modes, p.timezone, ${DIGEST_TIMEZONE} AS "digestTimezone"
         FROM users u LEFT JOIN notification_preferences p ON p.user_id = u.id WHERE u.id = $1`,
      [user.id],
    );
    const events = Object.fromEntries(
      EVENT_KINDS.map((kind) => [kind, row.modes?.[kind] ?? 'immediate']),
    ) as Record<EventKind, DeliveryMode>;
    return { events, timezone: row.timezone, digestTimezone: row.digestTimezone };
  }

  async replace(
    actor: Actor,
    dto: UpdateNotificationPreferencesDto,
  ): Promise<NotificationPreferencesResponse> {
    return this.dataSource.transaction(async (manager) => {
      const before = await this.get(actor.user, manager);
      await manager.query(
        `INSERT INTO notification_preferences (user_id, modes, timezone, updated_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (user_id) DO UPDATE
         SET modes = EXCLUDED.modes, timezone = EXCLUDED.timezone, updated_at = EXCLUDED.updated_at`,
        [actor.user.id, { ...dto.events }, dto.timezone ?? null, this.clock.now()],
      );
      const after = await this.get(actor.user, manager);
      await this.audit.record(manager, {
        actorId: actor.user.id,
        action: 'notification_preferences.updated',
        entityType: 'user',
        entityId: actor.user.id,
        countryCode: actor.user.countryCode,
        before,
        after,
        requestId: actor.requestId,
      });
      return after;
    });
  }
}
