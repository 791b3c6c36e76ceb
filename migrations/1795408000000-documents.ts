import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Programme documents (deliverables and evidence), kept in the database with the rest of the
 * record: one source of truth, one backup, written in the same transaction as their audit event.
 * A document (kind and title) has versions; a version's bytes are stored in pieces of 1 MiB so
 * that neither an upload nor a download ever holds a whole file.
 */
export class Documents1795408000000 implements MigrationInterface {
  name = 'Documents1795408000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE documents (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        programme_id uuid NOT NULL REFERENCES programmes (id),
        kind text NOT NULL CHECK (kind IN ('assessment_report', 'design_document',
          'operational_acceptance', 'maturity_report', 'other')),
        -- null: the programme's document of its kind, named by the kind
        title text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    // A new upload of the same kind and title is the next version of one document.
    await queryRunner.query(
      `CREATE UNIQUE INDEX documents_kind_title_key ON documents (programme_id, kind, coalesce(title, ''))`,
    );
    await queryRunner.query(`
      CREATE TABLE document_versions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        document_id uuid NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
        version integer NOT NULL CHECK (version > 0),
        filename text NOT NULL,
        content_type text NOT NULL,
        size bigint NOT NULL CHECK (size > 0),
        sha256 text NOT NULL,
        uploaded_by uuid NOT NULL REFERENCES users (id),
        uploaded_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (document_id, version)
      )`);
    await queryRunner.query(`
      CREATE TABLE document_chunks (
        version_id uuid NOT NULL REFERENCES document_versions (id) ON DELETE CASCADE,
        seq integer NOT NULL,
        data bytea NOT NULL,
        PRIMARY KEY (version_id, seq)
      )`);
    await queryRunner.query(
      `ALTER TABLE assessment_responses ADD COLUMN evidence_documents uuid[] NOT NULL DEFAULT '{}'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE assessment_responses DROP COLUMN evidence_documents`);
    await queryRunner.query(`DROP TABLE document_chunks`);
    await queryRunner.query(`DROP TABLE document_versions`);
    await queryRunner.query(`DROP TABLE documents`);
  }
}
