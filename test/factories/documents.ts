import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import JSZip from 'jszip';
import type { TestUser } from './users.js';
import { type TestApp, bearer } from '../support/test-app.js';

/** The smallest PDF a reader opens: what the tests upload when only its presence matters. */
export function tinyPdf(text = 'cirt-tracker test document'): Buffer {
  return Buffer.from(
    `%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n` +
      `3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n% ${text}\ntrailer<</Root 1 0 R>>\n%%EOF\n`,
  );
}

/** A multipart form as a client sends it: its fields in order, then the file. */
export async function multipartForm(
  fields: Record<string, string>,
  file?: { name: string; content: Buffer; type?: string },
): Promise<{ payload: Buffer; headers: { 'content-type': string } }> {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  if (file) {
    form.append(
      'file',
      new Blob([new Uint8Array(file.content)], { type: file.type ?? 'application/octet-stream' }),
      file.name,
    );
  }
  const encoded = new Response(form);
  return {
    payload: Buffer.from(await encoded.arrayBuffer()),
    headers: { 'content-type': encoded.headers.get('content-type')! },
  };
}

/** Uploads a document to a programme through the API, as `user`; answers the API's answer. */
export async function uploadDocument(
  t: TestApp,
  user: TestUser,
  programmeId: string,
  kind: string,
  file: { name?: string; content?: Buffer; title?: string } = {},
) {
  const form = await multipartForm(
    { kind, ...(file.title ? { title: file.title } : {}) },
    { name: file.name ?? `${kind}.pdf`, content: file.content ?? tinyPdf(kind) },
  );
  const response = await t.app.inject({
    method: 'POST',
    url: `/api/v1/programmes/${programmeId}/documents`,
    payload: form.payload,
    headers: { ...form.headers, ...bearer(await t.tokenFor(user)) },
  });
  if (response.statusCode !== 201) throw new Error(`uploadDocument: ${response.body}`);
  return response.json() as { id: string; version: number; sha256: string; size: number };
}

/** A ZIP archive of these entries (deflated, or stored when asked): what DOCX and ODT files are. */
export function zipArchive(
  entries: { name: string; content: Buffer; store?: boolean }[],
): Promise<Buffer> {
  const zip = new JSZip();
  for (const entry of entries) {
    zip.file(entry.name, entry.content, { compression: entry.store ? 'STORE' : 'DEFLATE' });
  }
  return zip.generateAsync({ type: 'nodebuffer' });
}

/** The smallest Office Open XML package: its content types, its relationships and its main part. */
function openXmlPackage(main: { part: string; type: string; xml: string }): Promise<Buffer> {
  const xml = (body: string) => Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>${body}`);
  return zipArchive([
    {
      name: '[Content_Types].xml',
      content: xml(
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
          '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
          '<Default Extension="xml" ContentType="application/xml"/>' +
          `<Override PartName="/${main.part}" ContentType="${main.type}"/>` +
          '</Types>',
      ),
    },
    {
      name: '_rels/.rels',
      content: xml(
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
          '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" ' +
          `Target="${main.part}"/></Relationships>`,
      ),
    },
    { name: main.part, content: xml(main.xml) },
  ]);
}

/** The smallest Word document: one paragraph. */
export function tinyDocx(text = 'cirt-tracker test document'): Promise<Buffer> {
  return openXmlPackage({
    part: 'word/document.xml',
    type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml',
    xml:
      '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">' +
      `<w:body><w:p><w:r><w:t>${text}</w:t></w:r></w:p></w:body></w:document>`,
  });
}

/** The smallest PowerPoint package: a presentation part without slides. */
export function tinyPptx(): Promise<Buffer> {
  return openXmlPackage({
    part: 'ppt/presentation.xml',
    type: 'application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml',
    xml: '<p:presentation xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"/>',
  });
}

/** The smallest OpenDocument text: its `mimetype` first and stored, then its content. */
export function tinyOdt(): Promise<Buffer> {
  return zipArchive([
    {
      name: 'mimetype',
      content: Buffer.from('application/vnd.oasis.opendocument.text'),
      store: true,
    },
    { name: 'content.xml', content: Buffer.from('<office:document-content/>') },
  ]);
}

/** A PNG's signature and IHDR chunk (1×1 RGBA): enough to be told a PNG from its bytes. */
export function tinyPng(): Buffer {
  return Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex');
}

/** A JPEG's start of image, JFIF header and end of image. */
export function tinyJpeg(): Buffer {
  return Buffer.from('ffd8ffe000104a46494600010100000100010000ffd9', 'hex');
}

/**
 * An upload's multipart body generated as it is read, so that a test never holds a large file
 * whole: the fields, then a file of `size` bytes (`head`, then zeros) in pieces of 64 KiB.
 * `pulled()` tells how many bytes of the body have been asked for so far (what the server read,
 * and at most a piece ahead).
 */
export function streamedForm(
  fields: Record<string, string>,
  file: { name: string; size: number; head: Buffer },
  /** A pause before each piece of the file, as a network would make: none unless asked. */
  pauseMs = 0,
): { payload: Readable; contentType: string; length: number; pulled(): number } {
  const boundary = `----cirt-test-${randomBytes(8).toString('hex')}`;
  const opening = Buffer.from(
    Object.entries(fields)
      .map(
        ([name, value]) =>
          `--${boundary}\r\ncontent-disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
      )
      .join('') +
      `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="${file.name}"\r\n` +
      'content-type: application/octet-stream\r\n\r\n',
  );
  const closing = Buffer.from(`\r\n--${boundary}--\r\n`);
  const piece = 64 * 1024;
  const zeros = Buffer.alloc(piece);
  let pulled = 0;
  async function* body() {
    pulled += opening.length;
    yield opening;
    let sent = 0;
    while (sent < file.size) {
      const head = sent < file.head.length ? file.head.subarray(sent, sent + piece) : undefined;
      const next = Math.min(piece, file.size - sent);
      const chunk = head
        ? Buffer.concat([head, zeros.subarray(0, Math.max(0, next - head.length))])
        : zeros.subarray(0, next);
      if (pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs));
      pulled += chunk.length;
      sent += chunk.length;
      yield chunk;
    }
    pulled += closing.length;
    yield closing;
  }
  return {
    payload: Readable.from(body(), { objectMode: false }),
    contentType: `multipart/form-data; boundary=${boundary}`,
    length: opening.length + file.size + closing.length,
    pulled: () => pulled,
  };
}
