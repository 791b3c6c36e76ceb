import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { GateResult } from './gates.js';
import type { Direction } from './lifecycle.js';
import type { Phase } from './programme.constants.js';

export const TRANSITION_STATUSES = ['pending', 'approved', 'rejected', 'withdrawn'] as const;
export type TransitionStatus = (typeof TRANSITION_STATUSES)[number];

@Entity('phase_transitions')
export class PhaseTransition {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  programmeId: string;

  @Column({ type: 'text' })
  fromPhase: Phase;

  @Column({ type: 'text' })
  toPhase: Phase;

  @Column({ type: 'text' })
  direction: Direction;

  @Column({ type: 'text' })
  status: TransitionStatus;

  @Column({ type: 'uuid' })
  requestedBy: string;

  @Column({ type: 'timestamptz' })
  requestedAt: Date;

  @Column({ type: 'text', nullable: true })
  note: string | null;

  @Column({ type: 'jsonb', nullable: true })
  gateAtRequest: GateResult | null;

  @Column({ type: 'uuid', nullable: true })
  decidedBy: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  decidedAt: Date | null;

  @Column({ type: 'text', nullable: true })
  decisionNote: string | null;

  @Column({ type: 'jsonb', nullable: true })
  gateAtDecision: GateResult | null;

  @Column({ type: 'timestamptz', nullable: true })
  fromPhaseEnteredAt: Date | null;
}
