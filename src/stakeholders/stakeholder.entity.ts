import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import type { Locale } from '../messages/locales.js';
import type { StakeholderRole } from './stakeholder.constants.js';

@Entity('stakeholders')
export class Stakeholder {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 2 })
  countryCode: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text' })
  email: string;

  @Column({ type: 'text' })
  role: StakeholderRole;

  @Column({ type: 'text', nullable: true })
  organisation: string | null;

  @Column({ type: 'text', default: 'en' })
  locale: Locale;

  @Column({ type: 'text', nullable: true })
  timezone: string | null;

  @Column({ type: 'text', nullable: true })
  webhookUrl: string | null;

  @Column({ type: 'boolean', default: true })
  notify: boolean;

  /** Signs this stakeholder's webhooks; shown once, when the webhook is first set. */
  @Column({ type: 'text', nullable: true, select: false })
  webhookSecret: string | null;

  /** Removed stakeholders stay for the milestones and history that name them. */
  @Column({ type: 'timestamptz', nullable: true })
  removedAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
