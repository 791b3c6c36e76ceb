import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Notifications1795392000000 implements MigrationInterface {
  name = 'Notifications1795392000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE stakeholders ADD COLUMN webhook_secret text`);
    await queryRunner.query(`
      CREATE TABLE notifications (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind text NOT NULL CHECK (length(kind) BETWEEN 1 AND 100),
        channel text NOT NULL CHECK (channel IN ('email', 'webhook')),
        -- rule, subject, ladder step and recipient: the same reminder is written once
        dedupe_key text NOT NULL UNIQUE,
        programme_id uuid REFERENCES programmes (id),
        country_code varchar(2) REFERENCES countries (code),
        stakeholder_id uuid REFERENCES stakeholders (id),
        recipient text NOT NULL CHECK (length(recipient) <= 2000),
        locale text NOT NULL DEFAULT 'en',
        subject text NOT NULL,
        body_text text NOT NULL,
        body_html text,
        payload jsonb,
        not_before timestamptz NOT NULL,
        status text NOT NULL DEFAULT 'pending'
          CHECK (status IN ('pending', 'queued', 'sent', 'failed', 'dead')),
        attempts integer NOT NULL DEFAULT 0,
        last_error text,
        provider_response text,
        queued_at timestamptz,
        sent_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE INDEX notifications_to_relay_idx ON notifications (status, created_at)
      WHERE status IN ('pending', 'queued')`);
    await queryRunner.query(
      `CREATE INDEX notifications_programme_idx ON notifications (programme_id, created_at DESC)`,
    );
    await queryRunner.query(
      `CREATE INDEX notifications_country_idx ON notifications (country_code, created_at DESC)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE notifications`);
    await queryRunner.query(`ALTER TABLE stakeholders DROP COLUMN webhook_secret`);
  }
}
