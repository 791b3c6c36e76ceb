import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AccessPolicy } from '../auth/access-policy.js';
import type { Actor } from '../auth/roles.js';
import { Clock } from '../common/clock.js';
import { daysBetween, localDate } from '../common/dates.js';
import type { ProgrammeHistoryResponse } from './dto/programme.dto.js';
import type { Phase } from './programme.constants.js';
import { ProgrammeAccess } from './programme-access.service.js';

export interface PhasePeriod {
  phase: Phase;
  enteredAt: Date;
  leftAt: Date | null;
  /** Whole days in the phase, in the country's calendar; up to today for the current phase. */
  days: number;
}

/**
 * A programme's phase timeline, from its applied transitions, and its audit events in the order
 * they happened: events are dated by the Clock, which the demo and the tests move, so the order
 * of writing is not always that of the dates.
 */
@Injectable()
export class ProgrammeHistoryQuery {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly programmes: ProgrammeAccess,
    private readonly policy: AccessPolicy,
    private readonly clock: Clock,
  ) {}

  async history(actor: Actor, programmeId: string): Promise<ProgrammeHistoryResponse> {
    const phases = await this.phases(actor, programmeId);
    // Every reader follows the phases; the events are the audit trail's, for those who may read it.
    if (!this.policy.mayRead(actor.user, 'audit')) return { phases, events: [] };
    const events = await this.dataSource.query(
      `SELECT id::text AS id, occurred_at AS "occurredAt", actor_id AS "actorId", action,
              entity_type AS "entityType", entity_id AS "entityId", before, after
       FROM audit_events
       WHERE (entity_type = 'programme' AND entity_id = $1)
          OR (entity_type = 'phase_transition' AND after ->> 'programmeId' = $1)
       ORDER BY occurred_at, id`,
      [programmeId],
    );
    return { phases, events };
  }

  /** The phases the programme went through, with the days spent in each. */
  async phases(actor: Actor, programmeId: string): Promise<PhasePeriod[]> {
    const ref = await this.programmes.forRead(actor.user, programmeId);
    const [current] = await this.dataSource.query(
      `SELECT phase, phase_entered_at AS "enteredAt" FROM programmes WHERE id = $1`,
      [programmeId],
    );
    const left: { phase: Phase; enteredAt: Date; leftAt: Date }[] = await this.dataSource.query(
      `SELECT from_phase AS phase, from_phase_entered_at AS "enteredAt", decided_at AS "leftAt"
       FROM phase_transitions WHERE programme_id = $1 AND status = 'approved' ORDER BY decided_at`,
      [programmeId],
    );
    const day = (instant: Date) => localDate(instant, ref.timezone);
    return [...left, { ...current, leftAt: null }].map((period) => ({
      ...period,
      days: daysBetween(day(period.enteredAt), day(period.leftAt ?? this.clock.now())),
    }));
  }
}
