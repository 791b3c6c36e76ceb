import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AccessPolicy } from '../auth/access-policy.js';
import type { Actor } from '../auth/roles.js';
import { AuditService } from '../audit/audit.service.js';
import { Clock } from '../common/clock.js';
import { fieldError, notFound, validationFailed } from '../common/domain-error.js';
import { createValidationPipe } from '../common/validation.js';
import { assertNotCancelled, ProgrammeAccess } from '../programmes/programme-access.service.js';
import { CHUNK_BYTES, type DocumentKind } from './document.constants.js';
import { DocumentFieldErrors } from './document.errors.js';
import {
  abandon,
  assertFormEnded,
  discard,
  spool,
  type SpooledFile,
  type UploadForm,
} from './document-upload.js';
import {
  type DocumentListItem,
  type DocumentResponse,
  type DocumentSummary,
  UploadDocumentDto,
} from './dto/document.dto.js';
import { DocumentsRepository, type StoredVersion } from './documents.repository.js';

const validation = createValidationPipe();

/** What a module that refers to documents does, in the deleting transaction, when one goes. */
export type DocumentDeletedListener = (
  manager: EntityManager,
  deleted: { documentId: string; programmeId: string },
) => Promise<void>;

/** A version's facts and its bytes, read a stored piece at a time as the reader takes them. */
export interface DocumentDownload {
  version: StoredVersion;
  content: Readable;
}

/**
 * A programme's documents: uploaded by those who write the programme, versioned by kind and
 * title, read whole by those who work on it (observers see that they are there), deleted by the
 * ITU. The bytes go through a temporary file and into the database in pieces, so no upload or
 * download is ever held whole in memory.
 */
@Injectable()
export class DocumentsService {
  private readonly deletedListeners: DocumentDeletedListener[] = [];

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repository: DocumentsRepository,
    private readonly programmes: ProgrammeAccess,
    private readonly policy: AccessPolicy,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /**
   * Stores an upload as the next version of its document. The form and the caller's rights are
   * checked before a byte of the file is read; the file is checked whole before anything is
   * written; the version, its bytes and the audit event commit together.
   */
  async upload(actor: Actor, programmeId: string, form: UploadForm): Promise<DocumentResponse> {
    let dto: UploadDocumentDto;
    let file: SpooledFile;
    try {
      dto = await validation.transform(form.fields, { type: 'body', metatype: UploadDocumentDto });
      assertNotCancelled(await this.programmes.forWrite(actor.user, programmeId));
      file = await spool(form.file.filename, form.file.file);
    } catch (error) {
      abandon(form);
      throw error;
    }
    try {
      await assertFormEnded(form);
      return await this.store(actor, programmeId, dto, file);
    } finally {
      await discard(file.path);
    }
  }

  /** Stores a checked file as the next version of its document, with its audit event. */
  async store(
    actor: Actor,
    programmeId: string,
    dto: UploadDocumentDto,
    file: SpooledFile,
  ): Promise<DocumentResponse> {
    return this.dataSource.transaction(async (manager) => {
      const programme = await this.programmes.forWrite(actor.user, programmeId, manager);
      assertNotCancelled(programme);
      const title = dto.title ?? null;
      const documentId = await this.repository.findOrCreate(programmeId, dto.kind, title, manager);
      const uploadedAt = this.clock.now();
      const { filename, contentType, size, sha256 } = file;
      const stored = await this.repository.insertVersion(
        { documentId, filename, contentType, size, sha256, uploadedBy: actor.user.id, uploadedAt },
        manager,
      );
      let seq = 0;
      for await (const piece of createReadStream(file.path, { highWaterMark: CHUNK_BYTES })) {
        await this.repository.insertChunk(stored.id, seq++, piece as Buffer, manager);
      }
      const response: DocumentResponse = {
        id: documentId,
        kind: dto.kind,
        title,
        filename,
        contentType,
        size,
        sha256,
        version: stored.version,
        uploadedAt,
        uploadedBy: actor.user.id,
      };
      await this.audit.record(manager, {
        actorId: actor.user.id,
        action: 'document.uploaded',
        entityType: 'document',
        entityId: documentId,
        countryCode: programme.countryCode,
        after: response,
        requestId: actor.requestId,
      });
      return response;
    });
  }

  /** A programme's documents with their versions; for observers, only that they are there. */
  async list(actor: Actor, programmeId: string): Promise<DocumentListItem[] | DocumentSummary[]> {
    await this.programmes.forRead(actor.user, programmeId);
    const documents = await this.repository.list(programmeId);
    if (this.policy.mayRead(actor.user, 'documentFiles')) return documents;
    return documents.map(({ id, kind, title, version, uploadedAt }) => ({
      id,
      kind,
      title,
      version,
      uploadedAt,
    }));
  }

  /** A version's bytes (the latest without a number), for a role that reads files, in scope. */
  async download(actor: Actor, documentId: string, version?: number): Promise<DocumentDownload> {
    this.policy.assertMayRead(actor.user, 'documentFiles');
    const asked = version
      ? `Version ${version} of document ${documentId}`
      : `Document ${documentId}`;
    const stored = await this.repository.findVersion(documentId, version);
    if (!stored) throw notFound(asked);
    await this.programmes.forRead(actor.user, stored.programmeId, undefined, asked);
    const repository = this.repository;
    async function* pieces() {
      for (let seq = 0; ; seq++) {
        const piece = await repository.chunk(stored!.versionId, seq);
        if (!piece) return;
        yield piece;
      }
    }
    return { version: stored, content: Readable.from(pieces()) };
  }

  /**
   * Deletes a document and every version; the audit trail keeps what it was. `ofProgramme`: the
   * programme a page's address names, which the document must be of.
   */
  async delete(actor: Actor, documentId: string, ofProgramme?: string): Promise<void> {
    const asked = `Document ${documentId}`;
    await this.dataSource.transaction(async (manager) => {
      const stored = await this.repository.findVersion(documentId);
      if (!stored || (ofProgramme && stored.programmeId !== ofProgramme)) throw notFound(asked);
      const programme = await this.programmes.forWrite(
        actor.user,
        stored.programmeId,
        manager,
        asked,
      );
      // Deleted meanwhile by someone holding the programme's lock before us.
      if (!(await this.repository.lockDocument(documentId, manager))) throw notFound(asked);
      const { versionId: _stored, documentId: _id, programmeId: _programme, ...latest } = stored;
      await this.repository.delete(documentId, manager);
      for (const listener of this.deletedListeners) {
        await listener(manager, { documentId, programmeId: stored.programmeId });
      }
      await this.audit.record(manager, {
        actorId: actor.user.id,
        action: 'document.deleted',
        entityType: 'document',
        entityId: documentId,
        countryCode: programme.countryCode,
        before: { id: documentId, ...latest },
        requestId: actor.requestId,
      });
    });
  }

  /**
   * Tells `listener` of each deleted document inside the deletion's transaction (questionnaire
   * answers drop their citation of it), so that this module depends on none of those that cite.
   */
  whenDeleted(listener: DocumentDeletedListener): void {
    this.deletedListeners.push(listener);
  }

  /** Whether the programme has a document of this kind: what a gate asks. */
  hasKind(programmeId: string, kind: DocumentKind, manager: EntityManager): Promise<boolean> {
    return this.repository.hasKind(programmeId, kind, manager);
  }

  /** Refuses (400, at `field`) ids that are not documents of the programme. */
  async assertOfProgramme(
    field: string,
    ids: string[],
    programmeId: string,
    manager: EntityManager,
  ): Promise<void> {
    if (ids.length === 0) return;
    const strangers = await this.repository.notOfProgramme(ids, programmeId, manager);
    if (strangers.length > 0) {
      throw validationFailed(
        strangers.map((id) =>
          fieldError(field, DocumentFieldErrors.document_not_of_programme, { id }),
        ),
      );
    }
  }
}
