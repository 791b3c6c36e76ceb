import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type DeepPartial, type EntityManager, IsNull } from 'typeorm';
import { Stakeholder } from './stakeholder.entity.js';

/** The stakeholders table: the only place that reads it as an entity and writes it. */
@Injectable()
export class StakeholdersRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** A country's current stakeholders, by role and name. */
  currentOfCountry(countryCode: string): Promise<Stakeholder[]> {
    return this.dataSource.getRepository(Stakeholder).find({
      where: { countryCode, removedAt: IsNull() },
      order: { role: 'ASC', name: 'ASC' },
    });
  }

  /** A current stakeholder, locked for the rest of the caller's transaction; null if none. */
  lockCurrent(id: string, manager: EntityManager): Promise<Stakeholder | null> {
    return manager.getRepository(Stakeholder).findOne({
      where: { id, removedAt: IsNull() },
      lock: { mode: 'pessimistic_write' },
    });
  }

  /** Whether the stakeholder is a current one of the country. */
  async isCurrentOfCountry(
    id: string,
    countryCode: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<boolean> {
    const [found] = await manager.query(
      `SELECT 1 FROM stakeholders WHERE id = $1 AND country_code = $2 AND removed_at IS NULL`,
      [id, countryCode],
    );
    return Boolean(found);
  }

  /** The secret that signs the stakeholder's webhooks (removed or not); null if none or no such stakeholder. */
  async webhookSecretOf(
    id: string | null,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<string | null> {
    const [row]: { secret: string | null }[] = await manager.query(
      'SELECT webhook_secret AS secret FROM stakeholders WHERE id = $1',
      [id],
    );
    return row?.secret ?? null;
  }

  /** Inserts a stakeholder; a duplicate raises PostgreSQL's unique violation. */
  insert(fields: DeepPartial<Stakeholder>, manager: EntityManager): Promise<Stakeholder> {
    return manager.save(manager.create(Stakeholder, fields));
  }

  /** Writes a changed stakeholder; a duplicate raises PostgreSQL's unique violation. */
  save(stakeholder: Stakeholder, manager: EntityManager): Promise<Stakeholder> {
    return manager.save(stakeholder);
  }
}
