import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What a person sets on their account page: the time zone their pages show times in (none: the
 * browser's). And a password someone else chose (a new account's, a reset) is the user's to
 * replace at the next sign-in: until then the account may do nothing else.
 */
export class AccountSettings1795406000000 implements MigrationInterface {
  name = 'AccountSettings1795406000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE users
        ADD COLUMN timezone text,
        ADD COLUMN password_change_required boolean NOT NULL DEFAULT false`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE users DROP COLUMN password_change_required, DROP COLUMN timezone`,
    );
  }
}
