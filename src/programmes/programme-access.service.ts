import { Injectable, Module } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AccessPolicy } from '../auth/access-policy.js';
import type { Principal } from '../auth/roles.js';
import { DomainError, notFound } from '../common/domain-error.js';
import { ProgrammeErrors } from './programme.errors.js';
import { ProgrammesRepository } from './programmes.repository.js';
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
    private readonly repository: ProgrammesRepository,
    private readonly policy: AccessPolicy,
  ) {}

  async forRead(
    user: Principal,
    id: string,
    manager?: EntityManager,
    asked = `Programme ${id}`,
  ): Promise<ProgrammeRef> {
    const programme = await this.find(id, manager, false, asked);
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
    const programme = await this.find(id, manager, manager !== undefined, asked);
    this.policy.assertCanWrite(
      user,
      { code: programme.countryCode, regionCode: programme.regionCode },
      asked,
    );
    return programme;
  }

  private async find(
    id: string,
    manager: EntityManager | undefined,
    lock: boolean,
    asked: string,
  ): Promise<ProgrammeRef> {
    const programme = await this.repository.findRef(id, lock, manager);
    if (!programme) throw notFound(asked);
    return programme;
  }
}

/**
 * What other modules import of programmes without the whole ProgrammesModule (which imports
 * some of them): access checks, and the programmes' repository for the writes to a programme
 * they make in their own transactions (a status update sets its health).
 */
@Module({
  providers: [ProgrammesRepository, ProgrammeAccess],
  exports: [ProgrammesRepository, ProgrammeAccess],
})
export class ProgrammeAccessModule {}
