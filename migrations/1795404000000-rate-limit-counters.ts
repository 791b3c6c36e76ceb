import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The fixed-window counters of the sign-in limiter and the per-user route limits, in PostgreSQL
 * rather than Redis: shared by every process as before, and no longer a reason to need Redis
 * for anything but the queues.
 */
export class RateLimitCounters1795404000000 implements MigrationInterface {
  name = 'RateLimitCounters1795404000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE rate_limit_counters (
         key text PRIMARY KEY,
         hits integer NOT NULL CHECK (hits >= 0),
         window_ends_at timestamptz NOT NULL
       )`,
    );
    await queryRunner.query(
      `CREATE INDEX rate_limit_counters_window_ends_at_idx ON rate_limit_counters (window_ends_at)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE rate_limit_counters`);
  }
}
