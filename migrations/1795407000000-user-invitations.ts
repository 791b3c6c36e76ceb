import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Invitations: a new user chooses their own password by following a link sent to them, instead
 * of being given one. Only the SHA-256 of the link's token is kept, so the table alone lets no one
 * in; a token is good once, until it expires.
 */
export class UserInvitations1795407000000 implements MigrationInterface {
  name = 'UserInvitations1795407000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE user_invitations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        token_hash text NOT NULL UNIQUE,
        expires_at timestamptz NOT NULL,
        -- accepted, or revoked by a newer invitation
        used_at timestamptz,
        created_by uuid REFERENCES users (id),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(
      `CREATE INDEX user_invitations_open_idx ON user_invitations (user_id) WHERE used_at IS NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE user_invitations`);
  }
}
