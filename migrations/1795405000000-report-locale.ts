import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reports are written in a language: the one asked for, else the requester's; a schedule keeps
 * the language of its runs (else its owner's). Rows made before speak English, as they did.
 */
export class ReportLocale1795405000000 implements MigrationInterface {
  name = 'ReportLocale1795405000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE reports
        ADD COLUMN locale text NOT NULL DEFAULT 'en' CHECK (locale IN ('en', 'fr', 'es', 'ar', 'ru', 'zh'))`);
    await queryRunner.query(`
      ALTER TABLE report_schedules
        ADD COLUMN locale text NOT NULL DEFAULT 'en' CHECK (locale IN ('en', 'fr', 'es', 'ar', 'ru', 'zh'))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE report_schedules DROP COLUMN locale`);
    await queryRunner.query(`ALTER TABLE reports DROP COLUMN locale`);
  }
}
