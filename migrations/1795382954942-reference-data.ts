import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ReferenceData1795382954942 implements MigrationInterface {
  name = 'ReferenceData1795382954942';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE regions (
        code varchar(3) PRIMARY KEY CHECK (code ~ '^[A-Z]{3}$'),
        names jsonb NOT NULL
      )`);
    await queryRunner.query(`
      CREATE TABLE countries (
        code varchar(2) PRIMARY KEY CHECK (code ~ '^[A-Z]{2}$'),
        iso3 varchar(3) NOT NULL UNIQUE CHECK (iso3 ~ '^[A-Z]{3}$'),
        region_code varchar(3) NOT NULL REFERENCES regions (code),
        itu_member boolean NOT NULL,
        timezone text NOT NULL,
        names jsonb NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX countries_region_code_idx ON countries (region_code)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE countries`);
    await queryRunner.query(`DROP TABLE regions`);
  }
}
