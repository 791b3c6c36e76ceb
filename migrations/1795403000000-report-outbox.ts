import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reports follow the notifications' outbox: `queued_at` says when a report's compile job was
 * added to the queue. The relay tick moves only the queued reports without it (instead of every
 * queued report each tick), and the reconcile tick checks the queued and running ones that have
 * it, putting back those whose job Redis lost. Running reports are stamped as of their start so
 * that the reconciler looks after them too; queued ones go through the relay once.
 */
export class ReportOutbox1795403000000 implements MigrationInterface {
  name = 'ReportOutbox1795403000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE reports ADD COLUMN queued_at timestamptz`);
    await queryRunner.query(
      `UPDATE reports SET queued_at = coalesce(started_at, created_at) WHERE status = 'running'`,
    );
    await queryRunner.query(`DROP INDEX reports_queued_idx`);
    await queryRunner.query(
      `CREATE INDEX reports_to_relay_idx ON reports (created_at) WHERE status = 'queued' AND queued_at IS NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX reports_in_queue_idx ON reports (queued_at) WHERE status IN ('queued', 'running')`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX reports_in_queue_idx`);
    await queryRunner.query(`DROP INDEX reports_to_relay_idx`);
    await queryRunner.query(
      `CREATE INDEX reports_queued_idx ON reports (created_at) WHERE status = 'queued'`,
    );
    await queryRunner.query(`ALTER TABLE reports DROP COLUMN queued_at`);
  }
}
