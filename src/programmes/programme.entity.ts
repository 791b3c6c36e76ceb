import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
  VersionColumn,
} from 'typeorm';
import type {
  CirtType,
  Health,
  HoldReason,
  Phase,
  ProgrammeStatus,
} from './programme.constants.js';

/** One country's rollout of one CIRT (national, government or a sector's). */
@Entity('programmes')
export class Programme {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 2 })
  countryCode: string;

  @Column({ type: 'text' })
  cirtType: CirtType;

  @Column({ type: 'text', nullable: true })
  sector: string | null;

  @Column({ type: 'text' })
  title: string;

  @Column({ type: 'text' })
  phase: Phase;

  @Column({ type: 'timestamptz' })
  phaseEnteredAt: Date;

  @Column({ type: 'text', default: 'active' })
  status: ProgrammeStatus;

  @Column({ type: 'text', nullable: true })
  holdReason: HoldReason | null;

  @Column({ type: 'date', nullable: true })
  startDate: string | null;

  @Column({ type: 'date', nullable: true })
  targetDate: string | null;

  /** The health of the latest status update, kept here so lists can filter and sort on it. */
  @Column({ type: 'text', nullable: true })
  health: Health | null;

  @Column({ type: 'timestamptz', nullable: true })
  healthUpdatedAt: Date | null;

  @VersionColumn()
  version: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
