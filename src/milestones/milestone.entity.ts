import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
  VersionColumn,
} from 'typeorm';
import type { Phase } from '../programmes/programme.constants.js';
import type { MilestoneStatus } from './milestone.constants.js';

@Entity('milestones')
export class Milestone {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  programmeId: string;

  @Column({ type: 'text' })
  phase: Phase;

  @Column({ type: 'text' })
  title: string;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Column({ type: 'date' })
  dueDate: string;

  @Column({ type: 'text', default: 'planned' })
  status: MilestoneStatus;

  @Column({ type: 'uuid', nullable: true })
  ownerStakeholderId: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  completedAt: Date | null;

  /** The default plan item it was created from, if any. */
  @Column({ type: 'text', nullable: true })
  planKey: string | null;

  @VersionColumn()
  version: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
