import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Event notifications: each user's choice per event kind, the events waiting for a user's daily
 * digest, and a time zone per region for the digests of regional coordinators (the zone of the
 * ITU regional office; an admin may change it).
 */
export class EventNotifications1795400000000 implements MigrationInterface {
  name = 'EventNotifications1795400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE notification_preferences (
        user_id uuid PRIMARY KEY REFERENCES users (id),
        -- event kind -> 'immediate' | 'daily_digest' | 'off'; a kind left out is 'immediate'
        modes jsonb NOT NULL DEFAULT '{}',
        timezone text CHECK (length(timezone) <= 64),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE digest_items (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id),
        -- event, change and user: an event is listed once per user
        dedupe_key text NOT NULL UNIQUE,
        kind text NOT NULL,
        subject text NOT NULL,
        url text NOT NULL,
        occurred_at timestamptz NOT NULL,
        -- the user's local date of the digest that listed it
        digested_on date
      )`);
    await queryRunner.query(
      `CREATE INDEX digest_items_waiting_idx ON digest_items (user_id, occurred_at) WHERE digested_on IS NULL`,
    );
    await queryRunner.query(`ALTER TABLE regions ADD COLUMN timezone text`);
    await queryRunner.query(`
      UPDATE regions r SET timezone = z.timezone
      FROM (VALUES ('AFR', 'Africa/Addis_Ababa'), ('AMS', 'America/Sao_Paulo'), ('ARB', 'Africa/Cairo'),
                   ('ASP', 'Asia/Bangkok'), ('CIS', 'Europe/Moscow'), ('EUR', 'Europe/Zurich')) AS z(code, timezone)
      WHERE r.code = z.code`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE regions DROP COLUMN timezone`);
    await queryRunner.query(`DROP TABLE digest_items`);
    await queryRunner.query(`DROP TABLE notification_preferences`);
  }
}
