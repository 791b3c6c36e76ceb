import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { LocalisedNames } from '../messages/locales.js';

@Entity('regions')
export class Region {
  @PrimaryColumn({ type: 'varchar', length: 3 })
  code: string;

  @Column({ type: 'jsonb' })
  names: LocalisedNames;
}
