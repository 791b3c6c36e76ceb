import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/**
 * The stakeholders a phase gate asks for (the national focal point, the host approver): a read
 * of the stakeholders module's table, in the gate's transaction. It never writes.
 */
@Injectable()
export class GateStakeholdersQuery {
  /** The name of a present (not removed) stakeholder of the country in `role`, if any. */
  async presentInRole(
    countryCode: string,
    role: string,
    manager: EntityManager,
  ): Promise<{ name: string } | undefined> {
    const [found] = await manager.query(
      `SELECT name FROM stakeholders WHERE country_code = $1 AND role = $2 AND removed_at IS NULL LIMIT 1`,
      [countryCode, role],
    );
    return found;
  }
}
