import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type DeepPartial, type EntityManager } from 'typeorm';
import type { ProgrammeRef } from './programme-access.service.js';
import type { Health } from './programme.constants.js';
import { PhaseTransition } from './phase-transition.entity.js';
import { Programme } from './programme.entity.js';

/**
 * The SQL of the programmes module, the one writer of `programmes` and `phase_transitions`.
 * Every write to a programme bumps its `version` (the optimistic lock a PATCH carries): through
 * the entity's `@VersionColumn` on save, or `version = version + 1` in SQL. Methods that join a
 * caller's transaction take its manager last.
 */
@Injectable()
export class ProgrammesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * A programme with its country's region and time zone; undefined when there is none. With
   * `lock`, the programme row is locked FOR UPDATE, so writes to it serialise.
   */
  async findRef(
    id: string,
    lock: boolean,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<ProgrammeRef | undefined> {
    const [programme] = await manager.query(
      `SELECT p.id, p.country_code AS "countryCode", c.region_code AS "regionCode", c.timezone,
              p.phase, p.status
       FROM programmes p JOIN countries c ON c.code = p.country_code
       WHERE p.id = $1 ${lock ? 'FOR UPDATE OF p' : ''}`,
      [id],
    );
    return programme;
  }

  /** The programme, or an EntityNotFoundError. */
  findOrFail(id: string, manager: EntityManager = this.dataSource.manager): Promise<Programme> {
    return manager.getRepository(Programme).findOneByOrFail({ id });
  }

  /** The programme locked FOR UPDATE, or null; in a transaction. */
  findAndLock(id: string, manager: EntityManager): Promise<Programme | null> {
    return manager
      .getRepository(Programme)
      .findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /** The programme locked FOR UPDATE, or an EntityNotFoundError; in a transaction. */
  findAndLockOrFail(id: string, manager: EntityManager): Promise<Programme> {
    return manager
      .getRepository(Programme)
      .findOneOrFail({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /** Inserts a new programme (version 1) and answers it as stored. */
  insert(fields: DeepPartial<Programme>, manager: EntityManager): Promise<Programme> {
    return manager.save(manager.create(Programme, fields));
  }

  /** Writes a changed programme; the entity's version column goes up by one. */
  save(programme: Programme, manager: EntityManager): Promise<Programme> {
    return manager.getRepository(Programme).save(programme);
  }

  /**
   * Sets the health of the programme's latest status update. A write to the programme like any
   * other: its version goes up, so a PATCH that carries the version read before is stale.
   */
  async recordHealth(
    programmeId: string,
    health: Health,
    at: Date,
    manager: EntityManager,
  ): Promise<void> {
    await manager.query(
      `UPDATE programmes SET health = $2, health_updated_at = $3, updated_at = $3, version = version + 1
       WHERE id = $1`,
      [programmeId, health, at],
    );
  }

  findPendingTransition(
    programmeId: string,
    manager: EntityManager,
  ): Promise<PhaseTransition | null> {
    return manager.getRepository(PhaseTransition).findOneBy({ programmeId, status: 'pending' });
  }

  hasPendingTransition(programmeId: string, manager: EntityManager): Promise<boolean> {
    return manager.getRepository(PhaseTransition).existsBy({ programmeId, status: 'pending' });
  }

  findTransition(id: string, manager: EntityManager): Promise<PhaseTransition | null> {
    return manager.getRepository(PhaseTransition).findOneBy({ id });
  }

  /** The transition locked FOR UPDATE, or an EntityNotFoundError; in a transaction. */
  findAndLockTransitionOrFail(id: string, manager: EntityManager): Promise<PhaseTransition> {
    return manager
      .getRepository(PhaseTransition)
      .findOneOrFail({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /** Inserts a new transition and answers it as stored. */
  insertTransition(
    fields: DeepPartial<PhaseTransition>,
    manager: EntityManager,
  ): Promise<PhaseTransition> {
    const repository = manager.getRepository(PhaseTransition);
    return repository.save(repository.create(fields));
  }

  saveTransition(transition: PhaseTransition, manager: EntityManager): Promise<PhaseTransition> {
    return manager.getRepository(PhaseTransition).save(transition);
  }

  /** A programme's transitions, newest request first. */
  listTransitions(programmeId: string): Promise<PhaseTransition[]> {
    return this.dataSource
      .getRepository(PhaseTransition)
      .find({ where: { programmeId }, order: { requestedAt: 'DESC' } });
  }
}
