import type { MigrationInterface, QueryRunner } from 'typeorm';

const PHASES = `'readiness_assessment', 'planning', 'implementation', 'operation', 'maintenance'`;
const OPEN = `'planned', 'in_progress', 'blocked'`;

export class Programmes1795386000000 implements MigrationInterface {
  name = 'Programmes1795386000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE programmes (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        country_code varchar(2) NOT NULL REFERENCES countries (code),
        cirt_type text NOT NULL CHECK (cirt_type IN ('national', 'government', 'sectoral')),
        sector text CHECK (length(sector) BETWEEN 1 AND 100),
        title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
        phase text NOT NULL CHECK (phase IN (${PHASES})),
        phase_entered_at timestamptz NOT NULL,
        status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'on_hold', 'cancelled')),
        hold_reason text CHECK (hold_reason IN ('funding', 'political', 'security', 'other')),
        start_date date,
        target_date date,
        health text CHECK (health IN ('on_track', 'at_risk', 'off_track')),
        health_updated_at timestamptz,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT programmes_sector_fits_type CHECK ((sector IS NOT NULL) = (cirt_type = 'sectoral')),
        CONSTRAINT programmes_hold_has_reason CHECK ((hold_reason IS NOT NULL) = (status = 'on_hold')),
        CONSTRAINT programmes_dates_in_order CHECK (target_date IS NULL OR start_date IS NULL OR target_date >= start_date)
      )`);
    await queryRunner.query(`
      CREATE UNIQUE INDEX programmes_one_active_key
      ON programmes (country_code, cirt_type, lower(coalesce(sector, '')))
      WHERE status = 'active'`);
    await queryRunner.query(`CREATE INDEX programmes_country_idx ON programmes (country_code)`);
    await queryRunner.query(
      `CREATE INDEX programmes_phase_idx ON programmes (phase, phase_entered_at)`,
    );
    await queryRunner.query(`CREATE INDEX programmes_updated_idx ON programmes (updated_at)`);

    await queryRunner.query(`
      CREATE TABLE stakeholders (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        country_code varchar(2) NOT NULL REFERENCES countries (code),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        email text NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
        role text NOT NULL CHECK (role IN ('national_focal_point', 'host_approver', 'executive_sponsor',
          'cirt_lead', 'itu_project_manager', 'regional_coordinator', 'itu_expert', 'donor',
          'implementing_partner', 'peer_cirt')),
        organisation text CHECK (length(organisation) <= 200),
        locale text NOT NULL DEFAULT 'en' CHECK (locale IN ('en', 'fr', 'es', 'ar', 'ru', 'zh')),
        timezone text CHECK (length(timezone) <= 64),
        webhook_url text CHECK (length(webhook_url) <= 2000),
        notify boolean NOT NULL DEFAULT true,
        removed_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE UNIQUE INDEX stakeholders_one_per_role_key
      ON stakeholders (country_code, role, lower(email)) WHERE removed_at IS NULL`);

    await queryRunner.query(`
      CREATE TABLE milestones (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        programme_id uuid NOT NULL REFERENCES programmes (id),
        phase text NOT NULL CHECK (phase IN (${PHASES})),
        title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
        description text CHECK (length(description) <= 4000),
        due_date date NOT NULL,
        status text NOT NULL DEFAULT 'planned'
          CHECK (status IN (${OPEN}, 'done', 'cancelled')),
        owner_stakeholder_id uuid REFERENCES stakeholders (id),
        completed_at timestamptz,
        plan_key text,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT milestones_done_has_date CHECK ((completed_at IS NOT NULL) = (status = 'done'))
      )`);
    await queryRunner.query(
      `CREATE INDEX milestones_programme_idx ON milestones (programme_id, phase)`,
    );
    await queryRunner.query(`
      CREATE INDEX milestones_open_due_idx ON milestones (due_date) WHERE status IN (${OPEN})`);

    await queryRunner.query(`
      CREATE TABLE status_updates (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        programme_id uuid NOT NULL REFERENCES programmes (id),
        health text NOT NULL CHECK (health IN ('on_track', 'at_risk', 'off_track')),
        summary text NOT NULL CHECK (length(summary) BETWEEN 1 AND 4000),
        next_steps text CHECK (length(next_steps) <= 4000),
        author_id uuid NOT NULL REFERENCES users (id),
        created_at timestamptz NOT NULL DEFAULT now(),
        -- orders updates written in the same instant
        seq bigint GENERATED ALWAYS AS IDENTITY
      )`);
    await queryRunner.query(
      `CREATE INDEX status_updates_programme_idx ON status_updates (programme_id, seq DESC)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE status_updates`);
    await queryRunner.query(`DROP TABLE milestones`);
    await queryRunner.query(`DROP TABLE stakeholders`);
    await queryRunner.query(`DROP TABLE programmes`);
  }
}
