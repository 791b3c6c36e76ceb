import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import type { Locale } from '../messages/locales.js';
import type { Role } from '../auth/roles.js';

@Entity('users')
export class User {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Unique whatever its letter case (a unique index on lower(email)). */
  @Column({ type: 'text' })
  email: string;

  @Column({ type: 'text' })
  displayName: string;

  @Column({ type: 'text' })
  role: Role;

  @Column({ type: 'varchar', length: 2, nullable: true })
  countryCode: string | null;

  @Column({ type: 'varchar', length: 3, nullable: true })
  regionCode: string | null;

  @Column({ type: 'text', default: 'en' })
  locale: Locale;

  /** The IANA zone the pages show times in; none: the browser's. */
  @Column({ type: 'text', nullable: true })
  timezone: string | null;

  @Column({ type: 'text', select: false })
  passwordHash: string;

  /** Set when someone else chose the password: the user must replace it before anything else. */
  @Column({ type: 'boolean', default: false })
  passwordChangeRequired: boolean;

  @Column({ type: 'boolean', default: false })
  disabled: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
