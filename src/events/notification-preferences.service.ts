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
import { EventsRepository } from './events.repository.js';
import { UserPreferencesQuery } from './user-preferences.query.js';

@Injectable()
export class NotificationPreferencesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: EventsRepository,
    private readonly preferences: UserPreferencesQuery,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async get(
    user: Principal,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<NotificationPreferencesResponse> {
    const row = await this.preferences.of(user.id, manager);
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
      await this.events.replacePreferences(
        actor.user.id,
        { ...dto.events },
        dto.timezone ?? null,
        this.clock.now(),
        manager,
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
