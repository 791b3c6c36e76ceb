import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Assessment campaigns: the ITU's periodic rounds, one questionnaire put to many programmes at
 * once with one due date (docs/domain.md §"Assessment campaigns"). A campaign's drafts are
 * ordinary assessments that name it, so that its progress is theirs and its reminders stop as
 * they are submitted.
 */
export class AssessmentCampaigns1795409000000 implements MigrationInterface {
  name = 'AssessmentCampaigns1795409000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE assessment_campaigns (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
        template_key text NOT NULL,
        template_version text NOT NULL,
        -- the scope as launched: a region, a list of countries, or neither (every country)
        region_code varchar(3) REFERENCES regions (code),
        country_codes text[],
        cirt_type text CHECK (cirt_type IN ('national', 'government', 'sectoral')),
        due_date date NOT NULL,
        status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
        created_by uuid NOT NULL REFERENCES users (id),
        created_at timestamptz NOT NULL DEFAULT now(),
        closed_at timestamptz,
        closed_by uuid REFERENCES users (id),
        FOREIGN KEY (template_key, template_version) REFERENCES assessment_templates (key, version),
        CONSTRAINT assessment_campaigns_one_scope CHECK (region_code IS NULL OR country_codes IS NULL),
        CONSTRAINT assessment_campaigns_closed_has_date CHECK ((status = 'closed') = (closed_at IS NOT NULL))
      )`);
    await queryRunner.query(
      `CREATE INDEX assessment_campaigns_created_idx ON assessment_campaigns (created_at DESC)`,
    );
    await queryRunner.query(
      `ALTER TABLE assessments ADD COLUMN campaign_id uuid REFERENCES assessment_campaigns (id)`,
    );
    await queryRunner.query(
      `CREATE INDEX assessments_campaign_idx ON assessments (campaign_id) WHERE campaign_id IS NOT NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE assessments DROP COLUMN campaign_id`);
    await queryRunner.query(`DROP TABLE assessment_campaigns`);
  }
}
