import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Multipart, MultipartFile } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { fileTypeFromFile } from 'file-type';
import { CommonErrors } from '../common/common.errors.js';
import { DomainError, invalidField } from '../common/domain-error.js';
import { DOCUMENT_TYPES, MAX_DOCUMENT_BYTES } from './document.constants.js';
import { DocumentErrors, DocumentFieldErrors } from './document.errors.js';

/** Room for the form's boundaries and text fields around the file. */
const FORM_OVERHEAD_BYTES = 64 * 1024;

/** A form's text fields and its file, not read yet, and the parts after it, which must be none. */
export interface UploadForm {
  fields: Record<string, string>;
  file: MultipartFile;
  rest: AsyncIterator<Multipart>;
}

/** An upload's bytes, held in a temporary file until they are stored, and what they are. */
export interface SpooledFile {
  path: string;
  filename: string;
  contentType: string;
  size: number;
  sha256: string;
}

const tooLarge = () =>
  new DomainError(DocumentErrors.document_too_large, { max: MAX_DOCUMENT_BYTES / (1024 * 1024) });

/**
 * Reads a multipart upload up to its file: the text fields that come before it (kind, title) and
 * the file, whose bytes are left to be streamed. A declared length beyond the limit is refused
 * before anything is read.
 */
export async function readUploadForm(request: FastifyRequest): Promise<UploadForm> {
  if (!request.isMultipart()) throw new DomainError(DocumentErrors.document_not_multipart);
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > MAX_DOCUMENT_BYTES + FORM_OVERHEAD_BYTES) throw tooLarge();
  const fields: Record<string, string> = {};
  const parts = request
    .parts({
      // One byte past the limit, so that a file of exactly 25 MB passes and one more is seen.
      limits: { fileSize: MAX_DOCUMENT_BYTES + 1, files: 1, fields: 8, fieldSize: 4096, parts: 9 },
      // The name as sent, so that one with a path in it is refused rather than cut to its end.
      preservePath: true,
    })
    [Symbol.asyncIterator]();
  for (;;) {
    const { value: part, done } = await parts.next().catch(malformed);
    if (done) throw invalidField('file', DocumentFieldErrors.document_file_missing);
    if (part.type === 'file') return { fields, file: part, rest: parts };
    if (typeof part.value === 'string') fields[part.fieldname] = part.value;
  }
}

/**
 * What the multipart parser's own errors mean to the client: a file past the limit is 413, any
 * other (no boundary, a form cut short, too many parts) a malformed request, 400.
 */
export function malformed(error: unknown): never {
  if (error instanceof DomainError) throw error;
  if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge();
  throw new DomainError(CommonErrors.bad_request);
}

/** Refuses (400) a form with anything after its file: the fields come first, the file once. */
export async function assertFormEnded(form: UploadForm): Promise<void> {
  const { done } = await form.rest.next().catch(malformed);
  if (!done) throw new DomainError(CommonErrors.bad_request);
}

/** Stops the upload's stream without reading the rest of it. */
export function abandon(form: UploadForm): void {
  form.file.file.destroy();
}

/** A file name a download can give back as it came: no path, no control characters. */
function assertSafeName(name: string): void {
  // eslint-disable-next-line no-control-regex
  const unsafe = /[/\\\u0000-\u001f\u007f]/.test(name) || name === '.' || name === '..';
  if (!name || unsafe || name.length > 255) {
    throw invalidField('file', DocumentFieldErrors.document_file_name_unsafe);
  }
}

/**
 * Streams a file to a temporary folder, counting and hashing as it goes, and tells its type from
 * its first bytes. Refuses (and keeps nothing of) an unsafe name (400), an empty file (400), one
 * past the limit (413: the rest is not read) and a type that is not a document's (415).
 */
export async function spool(filename: string, content: Readable): Promise<SpooledFile> {
  assertSafeName(filename);
  const folder = await mkdtemp(join(tmpdir(), 'cirt-upload-'));
  const path = join(folder, 'file');
  const hash = createHash('sha256');
  let size = 0;
  try {
    await pipeline(
      content,
      new Transform({
        transform(chunk: Buffer, _encoding, done) {
          size += chunk.length;
          // Failing here ends the stream, and busboy stops reading the request (it would
          // otherwise skip the rest of a file cut at its limit, reading on).
          if (size > MAX_DOCUMENT_BYTES) return done(tooLarge());
          hash.update(chunk);
          done(null, chunk);
        },
      }),
      createWriteStream(path),
    );
    if (size === 0) throw invalidField('file', DocumentFieldErrors.document_file_empty);
    const type = await fileTypeFromFile(path);
    if (!type || !(type.mime in DOCUMENT_TYPES)) {
      throw new DomainError(DocumentErrors.document_type_not_allowed, {
        allowed: Object.values(DOCUMENT_TYPES).join(', '),
      });
    }
    return { path, filename, contentType: type.mime, size, sha256: hash.digest('hex') };
  } catch (error) {
    await discard(path);
    malformed(error);
  }
}

/** Removes a spooled file and its folder. */
export async function discard(path: string): Promise<void> {
  await rm(join(path, '..'), { recursive: true, force: true });
}
