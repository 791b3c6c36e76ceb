import { randomBytes } from 'node:crypto';
import ExcelJS from 'exceljs';
import { formatMessage } from '../src/messages/catalog.js';
import { ReportOutbox } from '../src/reports/report-outbox.service.js';
import { tinyPdf, uploadDocument } from './factories/documents.js';
import { createProgramme } from './factories/programmes.js';
import { type Staff, createStaff, createUser } from './factories/users.js';
import { type TestApp, client, startTestApp } from './support/test-app.js';
import { waitFor } from './support/wait.js';
import { parseCsv, pdfText, withoutBidiMarks } from './support/file-readers.js';

type Client = ReturnType<typeof client>;

interface Uploaded {
  id: string;
  version: number;
  sha256: string;
  uploadedAt: string;
}

interface SnapshotDocument {
  kind: string;
  title: string | null;
  version: number;
  uploadedAt: string;
  sha256?: string;
}

const en = (key: string, values: Record<string, string | number> = {}) =>
  formatMessage('reports', 'en', key, values);

describe('deliverables in reports', () => {
  let t: TestApp;
  let staff: Staff;
  /** Bytes no report may hold: the files are listed, never copied. */
  const marker = `file-bytes-${randomBytes(8).toString('hex')}`;
  let kenya: { id: string };
  let ghana: { id: string };
  let senegal: { id: string };
  let kenyaReport: { v1: Uploaded; v2: Uploaded; annex: Uploaded };
  let ghanaDesign: Uploaded;

  beforeAll(async () => {
    t = await startTestApp({ env: { PROCESS_ROLE: 'all' } });
    staff = await createStaff(t.dataSource);
    kenya = await createProgramme(t, staff.admin, { countryCode: 'KE', cirtType: 'national' });
    ghana = await createProgramme(t, staff.admin, { countryCode: 'GH', cirtType: 'national' });
    senegal = await createProgramme(t, staff.admin, { countryCode: 'SN', cirtType: 'national' });
    const upload = async (programmeId: string, kind: string, title?: string) =>
      (await uploadDocument(t, staff.admin, programmeId, kind, {
        title,
        name: `${marker}.pdf`,
        content: tinyPdf(`${marker} ${kind} ${title ?? ''} ${randomBytes(4).toString('hex')}`),
      })) as unknown as Uploaded;
    // Uploaded out of phase order, the kind's own document twice.
    const annex = await upload(kenya.id, 'other', 'Annex A, signed; final');
    const v1 = await upload(kenya.id, 'assessment_report');
    const v2 = await upload(kenya.id, 'assessment_report');
    kenyaReport = { v1, v2, annex };
    ghanaDesign = await upload(ghana.id, 'design_document');
  }, 60_000);
  afterAll(() => t.close());

  /** A fresh itu_pm of its own, so that each test stays under the per-user request limit. */
  const freshPm = async () => client(t, await createUser(t.dataSource, { role: 'itu_pm' }));

  async function compiled(as: Client, body: object): Promise<string> {
    const requested = await as('POST', '/api/v1/reports', body);
    expect(requested.statusCode).toBe(202);
    return finished(as, requested.json().id);
  }

  async function finished(as: Client, id: string): Promise<string> {
    const report = await waitFor('the report to compile', async () => {
      const current = (await as('GET', `/api/v1/reports/${id}`)).json();
      return current.status === 'completed' || current.status === 'failed' ? current : undefined;
    });
    expect([report.status, report.error ?? null]).toEqual(['completed', null]);
    return id;
  }

  /** Every format of a report, as this reader downloads it. */
  async function downloads(as: Client, id: string, sheetName = en('sheet.deliverables')) {
    const get = (format: string) => as('GET', `/api/v1/reports/${id}/download?format=${format}`);
    const json = await get('json');
    const csv = await get('csv');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await get('xlsx')).rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet(sheetName)!;
    const rows = Array.from(
      { length: sheet.rowCount },
      (_, i) => (sheet.getRow(i + 1).values as unknown[]).slice(1) as unknown[],
    );
    return {
      raw: `${json.body}\n${csv.body}`,
      json: json.json(),
      csv: parseCsv(csv.body),
      sheets: workbook.worksheets.map((worksheet) => worksheet.name),
      deliverables: rows,
      allCells: workbook.worksheets.flatMap((worksheet) =>
        worksheet
          .getSheetValues()
          .flatMap((row) => (Array.isArray(row) ? row.map((value) => String(value)) : [])),
      ),
      pdf: pdfText((await get('pdf')).rawPayload),
    };
  }

  const documentsOf = (snapshot: { programmes: { programmeId: string }[] }, id: string) =>
    (snapshot.programmes.find((p) => p.programmeId === id) as unknown as {
      documents: SnapshotDocument[];
    })!.documents;

  const everyHash = () => [kenyaReport.v1, kenyaReport.v2, kenyaReport.annex, ghanaDesign];

  it('should list each programme’s documents at their latest version, in every format, without their files', async () => {
    const pm = await freshPm();
    const id = await compiled(pm, {
      scope: { countryCodes: ['KE', 'GH', 'SN'] },
      formats: ['json', 'csv', 'xlsx', 'pdf'],
    });
    const files = await downloads(pm, id);

    // JSON: per programme, in phase order (the kind's own document before others), latest version.
    expect(files.json.documentHashesWithheld).toBe(false);
    expect(documentsOf(files.json, kenya.id)).toEqual([
      {
        kind: 'assessment_report',
        title: null,
        version: 2,
        uploadedAt: kenyaReport.v2.uploadedAt,
        sha256: kenyaReport.v2.sha256,
      },
      {
        kind: 'other',
        title: 'Annex A, signed; final',
        version: 1,
        uploadedAt: kenyaReport.annex.uploadedAt,
        sha256: kenyaReport.annex.sha256,
      },
    ]);
    expect(kenyaReport.v2.sha256).not.toBe(kenyaReport.v1.sha256);
    expect(documentsOf(files.json, ghana.id)).toEqual([
      {
        kind: 'design_document',
        title: null,
        version: 1,
        uploadedAt: ghanaDesign.uploadedAt,
        sha256: ghanaDesign.sha256,
      },
    ]);
    expect(documentsOf(files.json, senegal.id)).toEqual([]);
    // Nothing of an earlier version, nor of the files: no name, size, type, uploader or bytes.
    expect(files.raw).not.toContain(kenyaReport.v1.sha256);
    expect(files.raw).not.toContain(marker);
    expect(files.raw).not.toMatch(/"(filename|size|contentType|uploadedBy)"/);

    // CSV: still one row per programme, the documents in a last column (the lifecycle KPIs
    // after an empty row).
    const [header, ...rows] = files.csv.slice(
      0,
      files.csv.findIndex((row) => row.every((cell) => cell === '')),
    );
    expect(rows).toHaveLength(3);
    expect(header.at(-1)).toBe('Deliverables');
    const cell = (programmeId: string) =>
      rows.find((row) => row.includes(programmeId))!.at(-1) as string;
    const day = (uploaded: Uploaded) => uploaded.uploadedAt.slice(0, 10);
    expect(cell(kenya.id)).toBe(
      `Readiness assessment report v2 (${day(kenyaReport.v2)}, SHA-256 ${kenyaReport.v2.sha256}); ` +
        `Annex A, signed; final v1 (${day(kenyaReport.annex)}, SHA-256 ${kenyaReport.annex.sha256})`,
    );
    expect(cell(ghana.id)).toBe(
      `Design Document v1 (${day(ghanaDesign)}, SHA-256 ${ghanaDesign.sha256})`,
    );
    expect(cell(senegal.id)).toBe('');

    // XLSX: a sheet of its own, one row per document, typed cells.
    expect(files.sheets.at(-1)).toBe('Deliverables');
    expect(files.deliverables[0]).toEqual([
      'Country',
      'Programme',
      'Kind',
      'Title',
      'Version',
      'Uploaded',
      'SHA-256',
    ]);
    const kenyaRow = files.json.programmes.find(
      (p: { programmeId: string }) => p.programmeId === kenya.id,
    );
    expect(files.deliverables).toContainEqual([
      'Kenya',
      kenyaRow.title,
      'Readiness assessment report',
      'Readiness assessment report',
      2,
      new Date(kenyaReport.v2.uploadedAt),
      kenyaReport.v2.sha256,
    ]);
    expect(files.deliverables).toContainEqual([
      'Kenya',
      kenyaRow.title,
      'Other documents',
      'Annex A, signed; final',
      1,
      new Date(kenyaReport.annex.uploadedAt),
      kenyaReport.annex.sha256,
    ]);
    expect(files.deliverables).toHaveLength(1 + 3);
    expect(files.allCells.join('\n')).not.toContain(marker);
    expect(files.allCells.join('\n')).not.toContain(kenyaReport.v1.sha256);

    // PDF: a section with each document, its version, day and whole hash (in two halves).
    expect(files.pdf).toContain(en('pdf.deliverables'));
    const dayInWords = (uploaded: Uploaded) =>
      new Intl.DateTimeFormat('en', {
        year: 'numeric',
        month: 'short',
        day: 'numeric',
        timeZone: 'UTC',
      }).format(new Date(uploaded.uploadedAt));
    const lines = files.pdf.split('\n');
    const line = (words: string[]) => lines.find((l) => words.every((word) => l.includes(word)));
    expect(
      line([
        'Readiness assessment report',
        dayInWords(kenyaReport.v2),
        kenyaReport.v2.sha256.slice(0, 32),
      ]),
    ).toBeDefined();
    expect(line([kenyaReport.v2.sha256.slice(32)])).toBeDefined();
    expect(line(['Annex A, signed; final (Other documents)'])).toBeDefined();
    expect(
      line(['Design Document', dayInWords(ghanaDesign), ghanaDesign.sha256.slice(0, 32)]),
    ).toBeDefined();
    expect(files.pdf).not.toContain(marker);
    expect(files.pdf).not.toContain(kenyaReport.v1.sha256.slice(0, 32));
  });

  it('should give observers the documents’ kind, title, version and date but no SHA-256, in every format', async () => {
    const pm = await freshPm();
    const id = await compiled(pm, {
      scope: { countryCodes: ['KE', 'GH', 'SN'] },
      formats: ['json', 'csv', 'xlsx', 'pdf'],
    });
    const manager = await downloads(pm, id);
    const observer = await downloads(client(t, staff.observer), id);
    // The programmes' figures are the same; only the hashes go.
    expect(observer.json.documentHashesWithheld).toBe(true);
    expect(observer.json.indicatorDetailWithheld).toBe(false);
    expect(observer.json.overall).toEqual(manager.json.overall);
    expect(documentsOf(observer.json, kenya.id)).toEqual(
      documentsOf(manager.json, kenya.id).map(({ kind, title, version, uploadedAt }) => ({
        kind,
        title,
        version,
        uploadedAt,
      })),
    );
    expect(documentsOf(observer.json, kenya.id)[0]).toEqual({
      kind: 'assessment_report',
      title: null,
      version: 2,
      uploadedAt: kenyaReport.v2.uploadedAt,
    });
    const withoutDocuments = (snapshot: { programmes: object[] }) =>
      snapshot.programmes.map((p) => ({ ...p, documents: undefined }));
    expect(withoutDocuments(observer.json)).toEqual(withoutDocuments(manager.json));

    expect(observer.csv.map((row) => row.slice(0, -1))).toEqual(
      manager.csv.map((row) => row.slice(0, -1)),
    );
    const day = kenyaReport.v2.uploadedAt.slice(0, 10);
    expect(observer.csv.find((row) => row.includes(kenya.id))!.at(-1)).toBe(
      `Readiness assessment report v2 (${day}); Annex A, signed; final v1 (${kenyaReport.annex.uploadedAt.slice(0, 10)})`,
    );

    expect(observer.deliverables[0]).toEqual([
      'Country',
      'Programme',
      'Kind',
      'Title',
      'Version',
      'Uploaded',
    ]);
    expect(observer.deliverables.map((row) => row.slice(0, 6))).toEqual(
      manager.deliverables.map((row) => row.slice(0, 6)),
    );
    expect(observer.pdf).toContain(en('pdf.deliverables'));
    expect(observer.pdf).toContain('Annex A, signed; final (Other documents)');
    expect(observer.pdf).not.toContain('SHA-256');

    const everything = [observer.raw, observer.allCells.join('\n'), observer.pdf].join('\n');
    expect(everything).not.toContain('SHA-256');
    for (const uploaded of everyHash()) {
      expect(everything).not.toContain(uploaded.sha256.slice(0, 32));
      expect(everything).not.toContain(uploaded.sha256.slice(32));
    }
    expect(everything).not.toContain(marker);
  });

  it('should make the observers’ copy the report’s own when a recipient does not see documents’ files', async () => {
    const pm = await freshPm();
    const [{ id }] = await t.dataSource.query(
      `INSERT INTO reports (requested_by, scope, scope_key, formats, status, progress, recipients)
       VALUES ($1, '{"countryCodes": ["KE"]}', 'countries:KE', '{json,csv}', 'queued', 0, $2) RETURNING id`,
      [staff.itu_pm.id, [staff.observer.email]],
    );
    await t.app.get(ReportOutbox).queueCompile(id);
    await finished(pm, id);
    const json = (await pm('GET', `/api/v1/reports/${id}/download?format=json`)).json();
    expect(json.documentHashesWithheld).toBe(true);
    expect(documentsOf(json, kenya.id).map((document) => document.version)).toEqual([2, 1]);
    expect(documentsOf(json, kenya.id).some((document) => 'sha256' in document)).toBe(false);
    const csv = (await pm('GET', `/api/v1/reports/${id}/download?format=csv`)).body;
    expect(csv).not.toContain(kenyaReport.v2.sha256);
  });

  it('should write the deliverables in the report’s language, the kinds named as the pages name them', async () => {
    const pm = await freshPm();
    const id = await compiled(pm, {
      scope: { countryCodes: ['KE'] },
      formats: ['json', 'csv', 'xlsx', 'pdf'],
      locale: 'fr',
    });
    const fr = (key: string) => formatMessage('reports', 'fr', key);
    const files = await downloads(pm, id, fr('sheet.deliverables'));
    const kind = formatMessage('pages', 'fr', 'documentKind.assessment_report');
    expect(files.csv[0].at(-1)).toBe(fr('column.deliverables'));
    expect(files.csv[1].at(-1)).toContain(`${kind} v2 (`);
    expect(files.deliverables[0]).toEqual(
      ['country', 'programme', 'kind', 'title', 'version', 'uploaded', 'sha256'].map((key) =>
        fr(`label.${key}`),
      ),
    );
    expect(files.deliverables[1].slice(2, 5)).toEqual([kind, kind, 2]);
    expect(files.pdf).toContain(fr('pdf.deliverables'));
    expect(files.pdf).toContain(kind);

    // Arabic: right to left, the hash halves still read whole, left to right.
    const arabic = await compiled(pm, {
      scope: { countryCodes: ['KE'] },
      formats: ['json', 'pdf'],
      locale: 'ar',
    });
    const text = withoutBidiMarks(
      pdfText((await pm('GET', `/api/v1/reports/${arabic}/download?format=pdf`)).rawPayload),
    );
    expect(text).toContain(formatMessage('reports', 'ar', 'pdf.deliverables'));
    expect(text).toContain(kenyaReport.v2.sha256.slice(0, 32));
    expect(text).toContain(kenyaReport.v2.sha256.slice(32));
  });
});
