import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { Health } from '../programmes/programme.constants.js';

@Entity('status_updates')
export class StatusUpdate {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  programmeId: string;

  @Column({ type: 'text' })
  health: Health;

  @Column({ type: 'text' })
  summary: string;

  @Column({ type: 'text', nullable: true })
  nextSteps: string | null;

  @Column({ type: 'uuid' })
  authorId: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  /** Written by the database; orders updates made in the same instant. */
  @Column({ type: 'bigint', insert: false, update: false, select: false })
  seq: string;
}
