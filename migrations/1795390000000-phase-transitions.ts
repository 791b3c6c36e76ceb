import type { MigrationInterface, QueryRunner } from 'typeorm';

const PHASES = `'readiness_assessment', 'planning', 'implementation', 'operation', 'maintenance'`;

export class PhaseTransitions1795390000000 implements MigrationInterface {
  name = 'PhaseTransitions1795390000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE phase_transitions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        programme_id uuid NOT NULL REFERENCES programmes (id),
        from_phase text NOT NULL CHECK (from_phase IN (${PHASES})),
        to_phase text NOT NULL CHECK (to_phase IN (${PHASES})),
        direction text NOT NULL CHECK (direction IN ('forward', 'backward')),
        status text NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'withdrawn')),
        requested_by uuid NOT NULL REFERENCES users (id),
        requested_at timestamptz NOT NULL,
        note text CHECK (length(note) <= 4000),
        gate_at_request jsonb,
        decided_by uuid REFERENCES users (id),
        decided_at timestamptz,
        decision_note text CHECK (length(decision_note) <= 4000),
        gate_at_decision jsonb,
        -- when the programme had entered from_phase: with decided_at, the phase's span in history
        from_phase_entered_at timestamptz,
        CONSTRAINT phase_transitions_decided CHECK ((decided_at IS NOT NULL) = (status <> 'pending'))
      )`);
    await queryRunner.query(`
      CREATE UNIQUE INDEX phase_transitions_one_pending_key ON phase_transitions (programme_id)
      WHERE status = 'pending'`);
    await queryRunner.query(
      `CREATE INDEX phase_transitions_programme_idx ON phase_transitions (programme_id, requested_at DESC)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE phase_transitions`);
  }
}
