import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Assessments1795388000000 implements MigrationInterface {
  name = 'Assessments1795388000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE assessment_templates (
        key text NOT NULL CHECK (key ~ '^[a-z0-9-]{1,60}$'),
        version text NOT NULL CHECK (version ~ '^\\d+\\.\\d+\\.\\d+$'),
        kind text NOT NULL CHECK (kind IN ('readiness', 'maturity')),
        title text NOT NULL,
        content jsonb NOT NULL,
        content_hash text NOT NULL,
        published_at date NOT NULL,
        loaded_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (key, version)
      )`);

    await queryRunner.query(`
      CREATE TABLE assessments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        programme_id uuid NOT NULL REFERENCES programmes (id),
        template_key text NOT NULL,
        template_version text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('readiness', 'maturity')),
        status text NOT NULL DEFAULT 'draft'
          CHECK (status IN ('draft', 'submitted', 'validated', 'returned')),
        score jsonb,
        overall_score numeric(4, 1),
        band text CHECK (band IN ('not_ready', 'emerging', 'conditionally_ready', 'ready')),
        created_by uuid NOT NULL REFERENCES users (id),
        submitted_at timestamptz,
        validated_at timestamptz,
        validated_by uuid REFERENCES users (id),
        return_note text CHECK (length(return_note) <= 4000),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        FOREIGN KEY (template_key, template_version) REFERENCES assessment_templates (key, version),
        CONSTRAINT assessments_validated_has_date CHECK ((validated_at IS NOT NULL) = (status = 'validated'))
      )`);
    // One assessment of a template in the works per programme at a time.
    await queryRunner.query(`
      CREATE UNIQUE INDEX assessments_one_open_key ON assessments (programme_id, template_key)
      WHERE status IN ('draft', 'submitted', 'returned')`);
    await queryRunner.query(`
      CREATE INDEX assessments_programme_idx ON assessments (programme_id, kind, status, validated_at)`);

    await queryRunner.query(`
      CREATE TABLE assessment_responses (
        assessment_id uuid NOT NULL REFERENCES assessments (id),
        indicator_key text NOT NULL,
        level smallint CHECK (level BETWEEN 0 AND 4),
        na_reason text CHECK (length(na_reason) BETWEEN 1 AND 500),
        evidence jsonb NOT NULL DEFAULT '[]',
        note text CHECK (length(note) <= 4000),
        updated_by uuid NOT NULL REFERENCES users (id),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (assessment_id, indicator_key),
        CONSTRAINT assessment_responses_na_has_reason CHECK ((level IS NULL) = (na_reason IS NOT NULL))
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE assessment_responses`);
    await queryRunner.query(`DROP TABLE assessments`);
    await queryRunner.query(`DROP TABLE assessment_templates`);
  }
}
