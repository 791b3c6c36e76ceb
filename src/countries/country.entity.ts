import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { LocalisedNames } from '../messages/locales.js';

@Entity('countries')
export class Country {
  @PrimaryColumn({ type: 'varchar', length: 2 })
  code: string;

  @Column({ type: 'varchar', length: 3 })
  iso3: string;

  @Column({ type: 'varchar', length: 3 })
  regionCode: string;

  @Column({ type: 'boolean' })
  ituMember: boolean;

  @Column({ type: 'text' })
  timezone: string;

  @Column({ type: 'jsonb' })
  names: LocalisedNames;
}
