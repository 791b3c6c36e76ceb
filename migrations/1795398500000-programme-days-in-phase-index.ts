import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The list sorted by days in phase (the portfolio's default view) walks this index and stops at
 * the page's end, instead of sorting every programme in scope: the time stays flat as the
 * portfolio grows.
 */
export class ProgrammeDaysInPhaseIndex1795398500000 implements MigrationInterface {
  name = 'ProgrammeDaysInPhaseIndex1795398500000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX programmes_phase_entered_idx ON programmes (phase_entered_at, id)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX programmes_phase_entered_idx`);
  }
}
