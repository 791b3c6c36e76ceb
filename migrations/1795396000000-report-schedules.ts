import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ReportSchedules1795396000000 implements MigrationInterface {
  name = 'ReportSchedules1795396000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE report_schedules (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        created_by uuid NOT NULL REFERENCES users (id),
        cron text NOT NULL,
        timezone text NOT NULL DEFAULT 'UTC',
        scope jsonb NOT NULL,
        scope_key text NOT NULL,
        formats text[] NOT NULL,
        recipients text[] NOT NULL CHECK (cardinality(recipients) BETWEEN 1 AND 50),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    // A schedule's run makes one report per firing time, however often its job is retried.
    await queryRunner.query(`
      ALTER TABLE reports
        ADD COLUMN schedule_id uuid REFERENCES report_schedules (id) ON DELETE SET NULL,
        ADD COLUMN scheduled_for timestamptz,
        ADD COLUMN recipients text[] NOT NULL DEFAULT '{}'`);
    await queryRunner.query(`
      CREATE UNIQUE INDEX reports_schedule_run_idx ON reports (schedule_id, scheduled_for)
      WHERE schedule_id IS NOT NULL`);
    // A notification may carry a report's files as attachments, read when it is sent.
    await queryRunner.query(
      `ALTER TABLE notifications ADD COLUMN report_id uuid REFERENCES reports (id)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE notifications DROP COLUMN report_id`);
    await queryRunner.query(`DROP INDEX reports_schedule_run_idx`);
    await queryRunner.query(
      `ALTER TABLE reports DROP COLUMN schedule_id, DROP COLUMN scheduled_for, DROP COLUMN recipients`,
    );
    await queryRunner.query(`DROP TABLE report_schedules`);
  }
}
