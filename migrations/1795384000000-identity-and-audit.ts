import type { MigrationInterface, QueryRunner } from 'typeorm';

export class IdentityAndAudit1795384000000 implements MigrationInterface {
  name = 'IdentityAndAudit1795384000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email text NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
        display_name text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 200),
        role text NOT NULL
          CHECK (role IN ('admin', 'itu_pm', 'regional_coordinator', 'national_team', 'observer')),
        country_code varchar(2) REFERENCES countries (code),
        region_code varchar(3) REFERENCES regions (code),
        locale text NOT NULL DEFAULT 'en' CHECK (locale IN ('en', 'fr', 'es', 'ar', 'ru', 'zh')),
        password_hash text NOT NULL,
        disabled boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT users_scope_fits_role CHECK (
          (country_code IS NOT NULL) = (role = 'national_team')
          AND (region_code IS NOT NULL) = (role = 'regional_coordinator')
        )
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX users_email_key ON users (lower(email))`);

    await queryRunner.query(`
      CREATE TABLE api_tokens (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
        token_hash text NOT NULL UNIQUE,
        expires_at timestamptz,
        last_used_at timestamptz,
        revoked_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX api_tokens_user_id_idx ON api_tokens (user_id)`);

    await queryRunner.query(`
      CREATE TABLE audit_events (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        occurred_at timestamptz NOT NULL DEFAULT now(),
        actor_id uuid REFERENCES users (id),
        action text NOT NULL,
        entity_type text NOT NULL,
        entity_id text,
        country_code varchar(2),
        before jsonb,
        after jsonb,
        request_id text
      )`);
    await queryRunner.query(
      `CREATE INDEX audit_events_entity_idx ON audit_events (entity_type, entity_id, occurred_at)`,
    );
    await queryRunner.query(
      `CREATE INDEX audit_events_country_idx ON audit_events (country_code, occurred_at)`,
    );
    await queryRunner.query(
      `CREATE INDEX audit_events_actor_idx ON audit_events (actor_id, occurred_at)`,
    );
    await queryRunner.query(`
      CREATE FUNCTION audit_events_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP
          USING ERRCODE = 'insufficient_privilege';
      END
      $$`);
    await queryRunner.query(`
      CREATE TRIGGER audit_events_append_only
      BEFORE UPDATE OR DELETE ON audit_events
      FOR EACH ROW EXECUTE FUNCTION audit_events_refuse_change()`);
    await queryRunner.query(`
      CREATE TRIGGER audit_events_no_truncate
      BEFORE TRUNCATE ON audit_events
      FOR EACH STATEMENT EXECUTE FUNCTION audit_events_refuse_change()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE audit_events`);
    await queryRunner.query(`DROP FUNCTION audit_events_refuse_change()`);
    await queryRunner.query(`DROP TABLE api_tokens`);
    await queryRunner.query(`DROP TABLE users`);
  }
}
