import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Reports1795394000000 implements MigrationInterface {
  name = 'Reports1795394000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE reports (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        requested_by uuid REFERENCES users (id),
        scope jsonb NOT NULL,
        -- the same scope, written one way: "global", "region:AFR" or "countries:FR,KE"
        scope_key text NOT NULL,
        formats text[] NOT NULL,
        status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'completed', 'failed')),
        progress smallint NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
        as_of timestamptz,
        snapshot jsonb,
        content_hash text,
        summary jsonb,
        error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        started_at timestamptz,
        completed_at timestamptz
      )`);
    await queryRunner.query(`
      CREATE INDEX reports_previous_idx ON reports (scope_key, completed_at DESC) WHERE status = 'completed'`);
    await queryRunner.query(
      `CREATE INDEX reports_queued_idx ON reports (created_at) WHERE status = 'queued'`,
    );
    await queryRunner.query(`
      CREATE TABLE report_files (
        report_id uuid NOT NULL REFERENCES reports (id),
        format text NOT NULL CHECK (format IN ('json', 'csv', 'xlsx', 'pdf')),
        content bytea NOT NULL,
        content_type text NOT NULL,
        file_name text NOT NULL,
        PRIMARY KEY (report_id, format)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE report_files`);
    await queryRunner.query(`DROP TABLE reports`);
  }
}
