import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryColumn,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import type { Band, Score } from './scoring.js';
import type { AssessmentKind } from './template.types.js';

export const ASSESSMENT_STATUSES = ['draft', 'submitted', 'validated', 'returned'] as const;
export type AssessmentStatus = (typeof ASSESSMENT_STATUSES)[number];

@Entity('assessments')
export class Assessment {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  programmeId: string;

  @Column({ type: 'text' })
  templateKey: string;

  @Column({ type: 'text' })
  templateVersion: string;

  @Column({ type: 'text' })
  kind: AssessmentKind;

  @Column({ type: 'text', default: 'draft' })
  status: AssessmentStatus;

  /** Computed once at submission, so lists and reports read it without recomputing. */
  @Column({ type: 'jsonb', nullable: true })
  score: Score | null;

  @Column({
    type: 'numeric',
    precision: 4,
    scale: 1,
    nullable: true,
    transformer: { to: (v) => v, from: (v) => (v === null ? null : Number(v)) },
  })
  overallScore: number | null;

  @Column({ type: 'text', nullable: true })
  band: Band | null;

  @Column({ type: 'uuid' })
  createdBy: string;

  /** The campaign that asked for it (src/campaigns), if one did. */
  @Column({ type: 'uuid', nullable: true })
  campaignId: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  submittedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  validatedAt: Date | null;

  @Column({ type: 'uuid', nullable: true })
  validatedBy: string | null;

  @Column({ type: 'text', nullable: true })
  returnNote: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

@Entity('assessment_responses')
export class AssessmentResponse {
  @PrimaryColumn({ type: 'uuid' })
  assessmentId: string;

  @PrimaryColumn({ type: 'text' })
  indicatorKey: string;

  /** 0..4, or null for not applicable (then naReason says why). */
  @Column({ type: 'smallint', nullable: true })
  level: number | null;

  @Column({ type: 'text', nullable: true })
  naReason: string | null;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  evidence: string[];

  /** Documents of the programme cited as evidence (documents module), by id. */
  @Column({ type: 'uuid', array: true, default: () => "'{}'" })
  evidenceDocuments: string[];

  @Column({ type: 'text', nullable: true })
  note: string | null;

  @Column({ type: 'uuid' })
  updatedBy: string;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
