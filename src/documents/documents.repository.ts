import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { DocumentKind } from './document.constants.js';
import type { DocumentListItem, DocumentVersionResponse } from './dto/document.dto.js';

const VERSION_FIELDS = `'version', v.version, 'filename', v.filename, 'contentType', v.content_type,
  'size', v.size, 'sha256', v.sha256, 'uploadedBy', v.uploaded_by,
  'uploadedAt', to_char(v.uploaded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** A version's facts and where its bytes are. */
export interface StoredVersion extends DocumentVersionResponse {
  versionId: string;
  documentId: string;
  programmeId: string;
  kind: DocumentKind;
  title: string | null;
}

/**
 * The documents module's SQL, and the only writer of its tables: `documents`, `document_versions`
 * and `document_chunks`. Methods that take part in a caller's transaction take its manager last.
 */
@Injectable()
export class DocumentsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The document of this kind and title (none: the kind's own), created when it is the first. */
  async findOrCreate(
    programmeId: string,
    kind: DocumentKind,
    title: string | null,
    manager: EntityManager,
  ): Promise<string> {
    const [found] = await manager.query(
      `SELECT id FROM documents WHERE programme_id = $1 AND kind = $2 AND coalesce(title, '') = coalesce($3, '')`,
      [programmeId, kind, title],
    );
    if (found) return found.id as string;
    const [created] = await manager.query(
      `INSERT INTO documents (programme_id, kind, title) VALUES ($1, $2, $3) RETURNING id`,
      [programmeId, kind, title],
    );
    return created.id as string;
  }

  /** A new version, numbered after the document's last; answers its id and number. */
  async insertVersion(
    version: {
      documentId: string;
      filename: string;
      contentType: string;
      size: number;
      sha256: string;
      uploadedBy: string;
      uploadedAt: Date;
    },
    manager: EntityManager,
  ): Promise<{ id: string; version: number }> {
    const [row] = await manager.query(
      `INSERT INTO document_versions (document_id, version, filename, content_type, size, sha256, uploaded_by, uploaded_at)
       SELECT $1, coalesce(max(version), 0) + 1, $2, $3, $4, $5, $6, $7
       FROM document_versions WHERE document_id = $1
       RETURNING id, version`,
      [
        version.documentId,
        version.filename,
        version.contentType,
        version.size,
        version.sha256,
        version.uploadedBy,
        version.uploadedAt,
      ],
    );
    return row;
  }

  async insertChunk(
    versionId: string,
    seq: number,
    data: Buffer,
    manager: EntityManager,
  ): Promise<void> {
    await manager.query(`INSERT INTO document_chunks (version_id, seq, data) VALUES ($1, $2, $3)`, [
      versionId,
      seq,
      data,
    ]);
  }

  /** A programme's documents, by kind and title, each with its versions newest first. */
  list(programmeId: string): Promise<DocumentListItem[]> {
    return this.dataSource.query(
      `SELECT d.id, d.kind, d.title, latest.*, versions.list AS versions
       FROM documents d
       CROSS JOIN LATERAL (
         SELECT json_agg(json_build_object(${VERSION_FIELDS}) ORDER BY v.version DESC) AS list
         FROM document_versions v WHERE v.document_id = d.id
       ) versions
       CROSS JOIN LATERAL (
         SELECT v.version, v.filename, v.content_type AS "contentType", v.size::int AS size, v.sha256,
                v.uploaded_at AS "uploadedAt", v.uploaded_by AS "uploadedBy"
         FROM document_versions v WHERE v.document_id = d.id ORDER BY v.version DESC LIMIT 1
       ) latest
       WHERE d.programme_id = $1
       ORDER BY d.kind, d.title NULLS FIRST`,
      [programmeId],
    );
  }

  /** A document's version (the latest without a number); undefined if either is not there. */
  async findVersion(documentId: string, version?: number): Promise<StoredVersion | undefined> {
    const [row] = await this.dataSource.query(
      `SELECT v.id AS "versionId", d.id AS "documentId", d.programme_id AS "programmeId", d.kind, d.title,
              v.version, v.filename, v.content_type AS "contentType", v.size::int AS size, v.sha256,
              v.uploaded_at AS "uploadedAt", v.uploaded_by AS "uploadedBy"
       FROM documents d JOIN document_versions v ON v.document_id = d.id
       WHERE d.id = $1 AND ($2::int IS NULL OR v.version = $2)
       ORDER BY v.version DESC LIMIT 1`,
      [documentId, version ?? null],
    );
    return row;
  }

  /** The document's programme, locked with it for the rest of the transaction; undefined if none. */
  async lockDocument(
    documentId: string,
    manager: EntityManager,
  ): Promise<{ programmeId: string; kind: DocumentKind; title: string | null } | undefined> {
    const [row] = await manager.query(
      `SELECT programme_id AS "programmeId", kind, title FROM documents WHERE id = $1 FOR UPDATE`,
      [documentId],
    );
    return row;
  }

  /** One stored piece of a version's bytes; undefined past the last. */
  async chunk(versionId: string, seq: number): Promise<Buffer | undefined> {
    const [row] = await this.dataSource.query(
      `SELECT data FROM document_chunks WHERE version_id = $1 AND seq = $2`,
      [versionId, seq],
    );
    return row?.data;
  }

  /** Deletes a document with its versions and their bytes. */
  async delete(documentId: string, manager: EntityManager): Promise<void> {
    await manager.query(`DELETE FROM documents WHERE id = $1`, [documentId]);
  }

  /** Whether the programme has a document of this kind. */
  async hasKind(programmeId: string, kind: DocumentKind, manager: EntityManager): Promise<boolean> {
    const [row] = await manager.query(
      `SELECT 1 FROM documents WHERE programme_id = $1 AND kind = $2 LIMIT 1`,
      [programmeId, kind],
    );
    return Boolean(row);
  }

  /** Those of the ids that are not documents of the programme. */
  async notOfProgramme(
    ids: string[],
    programmeId: string,
    manager: EntityManager,
  ): Promise<string[]> {
    const rows: { id: string }[] = await manager.query(
      `SELECT id FROM unnest($1::uuid[]) AS given(id)
       WHERE NOT EXISTS (SELECT 1 FROM documents d WHERE d.id = given.id AND d.programme_id = $2)`,
      [ids, programmeId],
    );
    return rows.map((row) => row.id);
  }
}
