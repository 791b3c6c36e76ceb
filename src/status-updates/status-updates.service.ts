import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AccessPolicy } from '../auth/access-policy.js';
import type { Actor } from '../auth/roles.js';
import { AuditService } from '../audit/audit.service.js';
import { Clock } from '../common/clock.js';
import { EventNotifier } from '../events/event-notifier.service.js';
import type { Page, PageQuery } from '../common/pagination.js';
import { ProgrammeAccess, assertNotCancelled } from '../programmes/programme-access.service.js';
import { ProgrammesRepository } from '../programmes/programmes.repository.js';
import type { CreateStatusUpdateDto, StatusUpdateResponse } from './dto/status-update.dto.js';
import { StatusUpdatesRepository } from './status-updates.repository.js';

@Injectable()
export class StatusUpdatesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repository: StatusUpdatesRepository,
    private readonly programmes: ProgrammeAccess,
    private readonly programmeRecords: ProgrammesRepository,
    private readonly policy: AccessPolicy,
    private readonly audit: AuditService,
    private readonly events: EventNotifier,
    private readonly clock: Clock,
  ) {}

  async list(
    actor: Actor,
    programmeId: string,
    query: PageQuery,
  ): Promise<Page<StatusUpdateResponse>> {
    this.policy.assertMayRead(actor.user, 'statusUpdates');
    await this.programmes.forRead(actor.user, programmeId);
    return this.repository.page(programmeId, query);
  }

  /**
   * The newest update sets the programme's health, in the same transaction: a write to the
   * programme, whose version goes up.
   */
  async create(
    actor: Actor,
    programmeId: string,
    dto: CreateStatusUpdateDto,
  ): Promise<StatusUpdateResponse> {
    return this.dataSource.transaction(async (manager) => {
      const programme = await this.programmes.forWrite(actor.user, programmeId, manager);
      assertNotCancelled(programme);
      const now = this.clock.now();
      const update = await this.repository.insert(
        {
          programmeId,
          health: dto.health,
          summary: dto.summary,
          nextSteps: dto.nextSteps ?? null,
          authorId: actor.user.id,
          createdAt: now,
        },
        manager,
      );
      await this.programmeRecords.recordHealth(programmeId, dto.health, now, manager);
      await this.audit.record(manager, {
        actorId: actor.user.id,
        action: 'status_update.created',
        entityType: 'status_update',
        entityId: update.id,
        countryCode: programme.countryCode,
        after: update,
        requestId: actor.requestId,
      });
      if (dto.health === 'off_track') {
        await this.events.notify(manager, {
          kind: 'status_off_track',
          subject: update.id,
          actor: actor.user,
          programmeId,
          params: { note: dto.summary },
        });
      }
      return update;
    });
  }
}
