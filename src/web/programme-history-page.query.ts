import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { TransitionStatus } from '../programmes/phase-transition.entity.js';
import type { Phase } from '../programmes/programme.constants.js';

/** A phase change as the history tells it: who asked, who decided, when, and what they said. */
export interface DecisionRow {
  id: string;
  direction: 'forward' | 'backward';
  status: TransitionStatus;
  fromPhase: Phase;
  toPhase: Phase;
  requestedAt: Date;
  requesterName: string;
  note: string | null;
  decidedAt: Date | null;
  deciderName: string | null;
  decisionNote: string | null;
}

/** A change of the programme itself from the audit trail: its start, title, dates and status. */
export interface ProgrammeChangeRow {
  occurredAt: Date;
  action: 'programme.created' | 'programme.updated';
  actorName: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

/**
 * A programme's decisions and changes with the names of the people who made them, for its history
 * on the workspace. The caller has checked that the reader may read the programme (and, for the
 * changes, the audit trail): this query only reads.
 */
@Injectable()
export class ProgrammeHistoryPageQuery {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Every phase change asked for or made, oldest first, none left out. */
  decisions(programmeId: string): Promise<DecisionRow[]> {
    return this.dataSource.query(
      `SELECT t.id, t.direction, t.status, t.from_phase AS "fromPhase", t.to_phase AS "toPhase",
              t.requested_at AS "requestedAt", requester.display_name AS "requesterName", t.note,
              t.decided_at AS "decidedAt", decider.display_name AS "deciderName",
              t.decision_note AS "decisionNote"
       FROM phase_transitions t
       JOIN users requester ON requester.id = t.requested_by
       LEFT JOIN users decider ON decider.id = t.decided_by
       WHERE t.programme_id = $1
       ORDER BY t.requested_at, t.id`,
      [programmeId],
    );
  }

  /** The programme's start and each change of it, oldest first. */
  changes(programmeId: string): Promise<ProgrammeChangeRow[]> {
    return this.dataSource.query(
      `SELECT e.occurred_at AS "occurredAt", e.action, u.display_name AS "actorName", e.before,
              e.after
       FROM audit_events e
       LEFT JOIN users u ON u.id = e.actor_id
       WHERE e.entity_type = 'programme' AND e.entity_id = $1
         AND e.action IN ('programme.created', 'programme.updated')
       ORDER BY e.occurred_at, e.id`,
      [programmeId],
    );
  }
}
