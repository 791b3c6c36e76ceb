import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Server-side sign-in sessions, so that sign-out, a password change, a role change or disabling
 * ends them at once; and the service's own random secrets (token signing, CSRF), kept in the
 * database so that every replica and every restart share them.
 */
export class SessionsAndSecrets1795401000000 implements MigrationInterface {
  name = 'SessionsAndSecrets1795401000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE auth_sessions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id),
        -- 'page': the pages' cookie, which also ends after an idle period; 'api': a login token
        kind text NOT NULL CHECK (kind IN ('page', 'api')),
        created_at timestamptz NOT NULL DEFAULT now(),
        last_seen_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz
      )`);
    await queryRunner.query(
      `CREATE INDEX auth_sessions_live_idx ON auth_sessions (user_id) WHERE revoked_at IS NULL`,
    );
    await queryRunner.query(`
      CREATE TABLE server_secrets (
        name text PRIMARY KEY,
        value text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE server_secrets`);
    await queryRunner.query(`DROP TABLE auth_sessions`);
  }
}
