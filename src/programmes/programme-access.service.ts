import { Injectable, Module } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AccessPolicy } from '../auth/access-policy.js';
import type { Principal } from '../auth/roles.js';
import { DomainError, notFound } from '../common/domain-error.js';
import { ProgrammeErrors } from './programme.errors.js';
import type { Phase, ProgrammeStatus } from './programme.constants.js';

/** What authorisation and dating need to know of a programme. */
export interface ProgrammeRef {
  id: string;
  countryCode: string;
  regionCode: string;
  timezone: string;
  phase: Phase;
  status: ProgrammeStatus;
}

/** A cancelled programme is closed: its record can be read, not added to. */
export function assertNotCancelled(programme: { id: string; status: ProgrammeStatus }): void {
  if (programme.status === 'cancelled') {
    throw new DomainError(ProgrammeErrors.programme_cancelled, { id: programme.id });
  }
}

/**
 * Finds a programme and checks the caller's scope over its country: 404 outside the read scope,
 * 403 when the caller may read but not write. Used by every module that hangs data off a
 * programme (milestones, status updates, assessments, transitions).
 *
 * `asked` names what the caller asked for, when it is an object of the programme found by its own
 * id (`Milestone <id>`): out of scope, the 404 names that object, as for an id that does not
 * exist, so that neither the object nor its programme is confirmed.
 */
@Injectable()
export class ProgrammeAccess {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly policy: AccessPolicy,
  ) {}

  async forRead(
    user: Principal,
    id: string,
    manager?: EntityManager,
    asked = `Programme ${id}`,
  ): Promise<ProgrammeRef> {
    const programme = await this.find(id, manager ?? this.dataSource.manager, false, asked);
    this.policy.assertCanRead(
      user,
      { code: programme.countryCode, regionCode: programme.regionCode },
      asked,
    );
    return programme;
  }

  /** Locks the programme row when given a transaction's manager, so writes to it serialise. */
  async forWrite(
    user: Principal,
    id: string,
    manager?: EntityManager,
    asked = `Programme ${id}`,
  ): Promise<ProgrammeRef> {
    const programme = await this.find(
      id,
      manager ?? this.dataSource.manager,
      manager !== undefined,
      asked,
    );
    this.policy.assertCanWrite(
      user,
      { code: programme.countryCode, regionCode: programme.regionCode },
      asked,
    );
    return programme;
  }

  private async find(
    id: string,
    manager: EntityManager,
    lock: boolean,
    asked: string,
  ): Promise<ProgrammeRef> {
    const [programme] = await manager.query(
      `SELECT p.id, p.country_code AS "countryCode", c.region_code AS "regionCode", c.timezone,
              p.phase, p.status
       FROM programmes p JOIN countries c ON c.code = p.country_code
       WHERE p.id = $1 ${lock ? 'FOR UPDATE OF p' : ''}`,
      [id],
    );
    if (!programme) throw notFound(asked);
    return programme;
  }
}

@Module({ providers: [ProgrammeAccess], exports: [ProgrammeAccess] })
export class ProgrammeAccessModule {}
