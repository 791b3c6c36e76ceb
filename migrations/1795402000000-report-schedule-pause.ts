import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Report schedules pause when their owner no longer covers them (disabled, or a role or region
 * that does not reach the scope), until an administrator resumes or reassigns them. Report files
 * gain the copy an observer reads when the scope is too small to show indicator levels, and old
 * reports can be deleted: a notification keeps its row and loses the link to a deleted report.
 */
export class ReportSchedulePause1795402000000 implements MigrationInterface {
  name = 'ReportSchedulePause1795402000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE report_schedules
        ADD COLUMN paused boolean NOT NULL DEFAULT false,
        ADD COLUMN paused_reason text,
        ADD COLUMN paused_at timestamptz`);
    await queryRunner.query(
      `CREATE INDEX report_schedules_created_by_idx ON report_schedules (created_by)`,
    );
    await queryRunner.query(`ALTER TABLE report_files ADD COLUMN observer_content bytea`);
    await queryRunner.query(`CREATE INDEX reports_created_at_idx ON reports (created_at)`);
    await queryRunner.query(`
      ALTER TABLE notifications
        DROP CONSTRAINT notifications_report_id_fkey,
        ADD CONSTRAINT notifications_report_id_fkey FOREIGN KEY (report_id) REFERENCES reports (id) ON DELETE SET NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE notifications
        DROP CONSTRAINT notifications_report_id_fkey,
        ADD CONSTRAINT notifications_report_id_fkey FOREIGN KEY (report_id) REFERENCES reports (id)`);
    await queryRunner.query(`DROP INDEX reports_created_at_idx`);
    await queryRunner.query(`ALTER TABLE report_files DROP COLUMN observer_content`);
    await queryRunner.query(`DROP INDEX report_schedules_created_by_idx`);
    await queryRunner.query(
      `ALTER TABLE report_schedules DROP COLUMN paused, DROP COLUMN paused_reason, DROP COLUMN paused_at`,
    );
  }
}
