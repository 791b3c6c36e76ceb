import ExcelJS from 'exceljs';
import { formatMessage } from '../src/messages/catalog.js';
import type { Locale } from '../src/messages/locales.js';
import { type PhaseHistory, insertPhaseHistory } from './factories/phase-history.js';
import { type Staff, createStaff, createUser } from './factories/users.js';
import { type TestApp, client, controlClock, startTestApp } from './support/test-app.js';
import { waitFor } from './support/wait.js';
import { parseCsv, pdfText, withoutBidiMarks } from './support/file-readers.js';

type Client = ReturnType<typeof client>;

const NOW = '2026-07-15T12:00:00Z';
const DAY = 86_400_000;

/**
 * A portfolio whose phase history is known to the day; the figures below are worked out by hand
 * from these durations (as in test/lifecycle-kpis.spec.ts).
 */
const PORTFOLIO: PhaseHistory[] = [
  { country: 'KE', left: [100, 50, 200], current: 30, updatedDaysAgo: 3 },
  { country: 'GH', left: [120, 70], current: 40, updatedDaysAgo: 3 },
  { country: 'SN', left: [80], current: 45 },
  { country: 'NG', left: [], current: 60 },
  { country: 'FR', left: [300, 100, 250], current: 400, updatedDaysAgo: 3 },
  { country: 'DE', left: [250], current: 30, updatedDaysAgo: 3 },
  { country: 'PL', left: [20, 10], current: 5, backTo: 'readiness_assessment', updatedDaysAgo: 3 },
];

const en = (key: string, values: Record<string, string | number> = {}) =>
  formatMessage('reports', 'en', key, values);

/** A sheet's rows, each cell as exceljs reads it, an empty one as null. */
function sheetRows(workbook: ExcelJS.Workbook, name: string, width: number): unknown[][] {
  const sheet = workbook.getWorksheet(name)!;
  return Array.from({ length: sheet.rowCount }, (_, i) =>
    Array.from({ length: width }, (_, j) => sheet.getRow(i + 1).getCell(j + 1).value ?? null),
  );
}

describe('lifecycle KPIs in reports', () => {
  let t: TestApp;
  let staff: Staff;
  let clock: { current: Date };
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestApp({ env: { PROCESS_ROLE: 'all' } });
    staff = await createStaff(t.dataSource);
    clock = controlClock(t, NOW);
    for (const history of PORTFOLIO) {
      ids[history.country] = await insertPhaseHistory(t.dataSource, staff.admin.id, NOW, history);
    }
    // Kenya: two milestones done on time, one late; late ones 10, 45 and 95 days overdue.
    const milestone = (programme: string, due: string, status: string, completed: string | null) =>
      t.dataSource.query(
        `INSERT INTO milestones (programme_id, phase, title, due_date, status, completed_at)
         VALUES ($1, 'operation', 'Milestone', $2, $3, $4)`,
        [programme, due, status, completed],
      );
    await milestone(ids.KE, '2026-03-10', 'done', '2026-03-09T12:00:00Z');
    await milestone(ids.KE, '2026-05-10', 'done', '2026-05-10T12:00:00Z');
    await milestone(ids.KE, '2026-05-10', 'done', '2026-05-11T12:00:00Z');
    await milestone(ids.KE, '2026-07-05', 'planned', null);
    await milestone(ids.GH, '2026-05-31', 'in_progress', null);
    await milestone(ids.FR, '2026-04-11', 'blocked', null);
  }, 60_000);
  afterAll(() => t.close());

  /** A fresh itu_pm of its own, so that each report stays under the per-user request limit. */
  const freshPm = async () => client(t, await createUser(t.dataSource, { role: 'itu_pm' }));

  async function compiled(as: Client, body: object): Promise<string> {
    const requested = await as('POST', '/api/v1/reports', body);
    expect(requested.statusCode).toBe(202);
    const id = requested.json().id;
    const report = await waitFor('the report to compile', async () => {
      const current = (await as('GET', `/api/v1/reports/${id}`)).json();
      return current.status === 'completed' || current.status === 'failed' ? current : undefined;
    });
    expect([report.status, report.error ?? null]).toEqual(['completed', null]);
    return id;
  }

  async function downloads(as: Client, id: string, locale: Locale = 'en') {
    const get = (format: string) => as('GET', `/api/v1/reports/${id}/download?format=${format}`);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await get('xlsx')).rawPayload as unknown as ArrayBuffer);
    return {
      json: (await get('json')).json(),
      csv: parseCsv((await get('csv')).body),
      kpiSheet: sheetRows(workbook, formatMessage('reports', locale, 'sheet.kpis'), 4),
      changesSheet: sheetRows(workbook, formatMessage('reports', locale, 'sheet.changes'), 5),
      sheets: workbook.worksheets.map((sheet) => sheet.name),
      pdf: pdfText((await get('pdf')).rawPayload),
    };
  }

  const FORMATS = ['json', 'csv', 'xlsx', 'pdf'];

  it('should hold the lifecycle KPIs of its scope in the snapshot, the CSV, the XLSX and the PDF', async () => {
    const pm = await freshPm();
    const id = await compiled(pm, { scope: {}, formats: FORMATS });
    const files = await downloads(pm, id);

    // JSON: the KPIs as the portfolio API answers them, over the whole history.
    const { transitionsByQuarter, ...kpis } = files.json.kpis;
    expect(kpis).toEqual({
      period: { from: null, to: null },
      programmes: 7,
      byPhase: {
        readiness_assessment: 2,
        planning: 2,
        implementation: 1,
        operation: 2,
        maintenance: 0,
      },
      established: 2,
      // Kenya took 100 + 50 + 200 days, France 300 + 100 + 250.
      medianDaysToOperation: 500,
      // Readiness left six times: 20 80 100 120 250 300; planning 10 50 70 100; implementation
      // 200 250.
      phaseMedianDays: { readiness_assessment: 110, planning: 60, implementation: 225 },
      counted: {
        daysToOperation: 2,
        phases: { readiness_assessment: 6, planning: 4, implementation: 2 },
      },
      byRegion: [
        {
          regionCode: 'AFR',
          programmes: 4,
          established: 1,
          medianDaysToOperation: 350,
          phaseMedianDays: { readiness_assessment: 100, planning: 60, implementation: 200 },
          counted: {
            daysToOperation: 1,
            phases: { readiness_assessment: 3, planning: 2, implementation: 1 },
          },
        },
        {
          regionCode: 'EUR',
          programmes: 3,
          established: 1,
          medianDaysToOperation: 650,
          phaseMedianDays: { readiness_assessment: 250, planning: 55, implementation: 250 },
          counted: {
            daysToOperation: 1,
            phases: { readiness_assessment: 3, planning: 2, implementation: 1 },
          },
        },
      ],
      milestoneOnTimeRate: 0.667,
      milestonesDone: 3,
      // Senegal and Nigeria have no status update in 30 days.
      staleUpdates: 2,
      overdueMilestonesByAge: { '1-30': 1, '31-90': 1, '91+': 1 },
    });
    // France left readiness on 25 June 2024; Poland moved back on 10 July 2026.
    expect(transitionsByQuarter[0]).toEqual({ quarter: '2024-Q2', forward: 1, backward: 0 });
    expect(transitionsByQuarter.at(-2)).toEqual({ quarter: '2026-Q2', forward: 5, backward: 0 });
    expect(transitionsByQuarter.at(-1)).toEqual({ quarter: '2026-Q3', forward: 0, backward: 1 });
    expect(transitionsByQuarter).toHaveLength(10);
    // The first report of its scope has nothing to compare with.
    expect(files.json.changes).toEqual({ since: null, items: [], kpis: [] });
    // Observers read the same figures.
    const observer = await client(t, staff.observer)(
      'GET',
      `/api/v1/reports/${id}/download?format=json`,
    );
    expect(observer.json().kpis).toEqual(files.json.kpis);

    // CSV: the programme rows, an empty row, then the KPIs under a header row of their own.
    const [header, ...rows] = files.csv;
    const blank = rows.findIndex((row) => row.every((cell) => cell === ''));
    expect(blank).toBe(7);
    expect(rows.every((row) => row.length === header.length)).toBe(true);
    expect(rows[blank + 1].slice(0, 4)).toEqual(['Lifecycle KPIs', 'Region', 'Value', 'Counted']);
    const csvKpis = rows.slice(blank + 2).map((row) => row.slice(0, 4));
    const expected = [
      ['Programmes', 'Total', '7', ''],
      ['Established (reached operation)', 'Total', '2', ''],
      ['Programmes in Readiness assessment', 'Total', '2', ''],
      ['Programmes in Operation', 'Total', '2', ''],
      ['Programmes in Maintenance', 'Total', '0', ''],
      ['Median days to operation', 'Total', '500', '2'],
      ['Median days in Readiness assessment', 'Total', '110', '6'],
      ['Median days in Planning', 'Total', '60', '4'],
      ['Median days in Implementation', 'Total', '225', '2'],
      ['Milestones done on time', 'Total', '0.667', '3'],
      ['Programmes without a recent update', 'Total', '2', ''],
      ['Milestones overdue 1 to 30 days', 'Total', '1', ''],
      ['Milestones overdue 31 to 90 days', 'Total', '1', ''],
      ['Milestones overdue more than 90 days', 'Total', '1', ''],
      ['Phase changes forward, 2024 Q2', 'Total', '1', ''],
      ['Phase changes forward, 2026 Q2', 'Total', '5', ''],
      ['Phase changes back, 2026 Q3', 'Total', '1', ''],
      ['Programmes', 'AFR', '4', ''],
      ['Established (reached operation)', 'EUR', '1', ''],
      ['Median days to operation', 'AFR', '350', '1'],
      ['Median days in Planning', 'EUR', '55', '2'],
    ];
    for (const row of expected) expect(csvKpis).toContainEqual(row);
    // Every figure once: 16 of the whole scope, 2 per quarter, 6 per region.
    expect(csvKpis).toHaveLength(16 + 2 * 10 + 6 * 2);

    // XLSX: a sheet of its own after Regions, typed figures, the same rows as the CSV.
    expect(files.sheets.indexOf('Lifecycle KPIs')).toBe(files.sheets.indexOf('Regions') + 1);
    expect(files.kpiSheet[0]).toEqual(['Item', 'Region', 'Value', 'Counted']);
    expect(files.kpiSheet.slice(1)).toEqual(
      csvKpis.map(([item, region, value, counted]) => [
        item,
        region,
        value === '' ? null : Number(value),
        counted === '' ? null : Number(counted),
      ]),
    );

    // PDF: a section with the figures, per phase, per region with their counts, per quarter.
    const lines = files.pdf.split('\n');
    const line = (...words: string[]) =>
      lines.find((l) => words.every((word) => l.includes(word))) ?? `no line with ${words}`;
    expect(files.pdf).toContain(en('pdf.kpis'));
    expect(line('Established (reached operation)', '2')).toMatch(/\)\s+2\s*$/);
    expect(line('Median days to operation', '500')).toMatch(/operation\s+500\s+2\s*$/);
    expect(line('Milestones done on time')).toMatch(/66\.7%\s+3\s*$/);
    expect(line('Programmes without a recent update')).toMatch(/update\s+2\s*$/);
    expect(line('Milestones overdue more than 90 days')).toMatch(/days\s+1\s*$/);
    expect(line('Readiness assessment', '110')).toMatch(/assessment\s+2\s+110\s+6\s*$/);
    expect(line('Maintenance', '0')).toMatch(/Maintenance\s+0\s*$/);
    expect(line('Africa', '(n = ')).toMatch(
      /Africa\s+4\s+1\s+350 \(n = 1\)\s+100 \(n = 3\)\s+60 \(n = 2\)\s+200 \(n = 1\)\s*$/,
    );
    expect(line('Total', '500 (n = 2)')).toMatch(
      /Total\s+7\s+2\s+500 \(n = 2\)\s+110 \(n = 6\)\s+60 \(n = 4\)\s+225 \(n = 2\)\s*$/,
    );
    expect(line('2026 Q3')).toMatch(/2026 Q3\s+0\s+1\s*$/);
    expect(line('2024 Q3')).toMatch(/2024 Q3\s+0\s+0\s*$/);
  });

  it('should name the KPIs that moved since the previous report, and none when that report held no KPIs', async () => {
    const pm = await freshPm();
    const first = await compiled(pm, {
      scope: { countryCodes: ['KE', 'GH', 'FR'] },
      formats: ['json'],
    });

    // A day later, Ghana reaches operation after 41 days of implementation.
    clock.current = new Date(Date.parse(NOW) + DAY);
    await t.dataSource.query(
      `INSERT INTO phase_transitions (programme_id, from_phase, to_phase, direction, status, requested_by,
                                      requested_at, decided_by, decided_at, from_phase_entered_at)
       VALUES ($1, 'implementation', 'operation', 'forward', 'approved', $2, $3, $2, $3, $4)`,
      [ids.GH, staff.admin.id, clock.current, new Date(Date.parse(NOW) - 40 * DAY)],
    );
    await t.dataSource.query(
      `UPDATE programmes SET phase = 'operation', phase_entered_at = $2 WHERE id = $1`,
      [ids.GH, clock.current],
    );
    const second = await compiled(pm, {
      scope: { countryCodes: ['KE', 'GH', 'FR'] },
      formats: FORMATS,
    });
    const files = await downloads(pm, second);
    expect(files.json.changes.since).toBe(first);
    expect(files.json.changes.items).toContainEqual({
      programmeId: ids.GH,
      countryCode: 'GH',
      kind: 'phase',
      from: 'implementation',
      to: 'operation',
    });
    // Ghana took 120 + 70 + 41 days: 231, 350 and 650 to operation; 41, 200 and 250 in
    // implementation. Nothing else moved: the late milestones are a day later, in the same ages.
    expect(files.json.changes.kpis).toEqual([
      { kpi: 'established', key: null, from: 2, to: 3 },
      { kpi: 'programmesInPhase', key: 'implementation', from: 1, to: 0 },
      { kpi: 'programmesInPhase', key: 'operation', from: 2, to: 3 },
      { kpi: 'medianDaysToOperation', key: null, from: 500, to: 350 },
      { kpi: 'medianDaysInPhase', key: 'implementation', from: 225, to: 200 },
    ]);
    // The Changes sheet lists them after the programmes' changes, in words.
    expect(files.changesSheet.slice(-5)).toEqual([
      [null, null, 'Established (reached operation)', 2, 3],
      [null, null, 'Programmes in Implementation', 1, 0],
      [null, null, 'Programmes in Operation', 2, 3],
      [null, null, 'Median days to operation', 500, 350],
      [null, null, 'Median days in Implementation', 225, 200],
    ]);

    // A previous report compiled before reports held KPIs: the programmes' changes only.
    await t.dataSource.query(`UPDATE reports SET snapshot = snapshot - 'kpis' WHERE id = $1`, [
      second,
    ]);
    clock.current = new Date(Date.parse(NOW) + 2 * DAY);
    await t.dataSource.query(`UPDATE programmes SET phase = 'maintenance' WHERE id = $1`, [ids.FR]);
    const third = await compiled(pm, {
      scope: { countryCodes: ['KE', 'GH', 'FR'] },
      formats: ['json', 'xlsx'],
    });
    const json = (await pm('GET', `/api/v1/reports/${third}/download?format=json`)).json();
    expect(json.changes.since).toBe(second);
    expect(json.changes.kpis).toEqual([]);
    expect(json.changes.items).toContainEqual(
      expect.objectContaining({ programmeId: ids.FR, kind: 'phase', to: 'maintenance' }),
    );
    expect(json.kpis.byPhase.maintenance).toBe(1);
  });

  it('should write the KPIs in the report’s language, right to left in Arabic', async () => {
    const pm = await freshPm();
    const fr = (key: string, values: Record<string, string | number> = {}) =>
      formatMessage('reports', 'fr', key, values);
    const french = await downloads(
      pm,
      await compiled(pm, { scope: { regionCode: 'AFR' }, formats: FORMATS, locale: 'fr' }),
      'fr',
    );
    expect(french.kpiSheet[0]).toEqual(
      ['item', 'region', 'value', 'counted'].map((key) => fr(`label.${key}`)),
    );
    expect(french.kpiSheet).toContainEqual([
      fr('kpi.established'),
      fr('label.total'),
      french.json.kpis.established,
      null,
    ]);
    expect(french.csv).toContainEqual(
      expect.arrayContaining([fr('sheet.kpis'), fr('label.region'), fr('label.counted')]),
    );
    expect(french.pdf).toContain(fr('pdf.kpis'));
    expect(french.pdf).toContain(fr('kpi.quarter', { year: '2026', quarter: '3' }));
    expect(french.pdf).toContain('66,7');

    const arabic = await compiled(pm, {
      scope: { regionCode: 'AFR' },
      formats: ['json', 'pdf'],
      locale: 'ar',
    });
    const text = withoutBidiMarks(
      pdfText((await pm('GET', `/api/v1/reports/${arabic}/download?format=pdf`)).rawPayload),
    );
    expect(text).toContain(formatMessage('reports', 'ar', 'pdf.kpis'));
    expect(text).toContain(formatMessage('reports', 'ar', 'pdf.kpisPerQuarter'));
    // Right to left: each region's row starts on the right with its name (Arabic letters), its
    // medians on the left, each read right to left too: the median, then how many it counts.
    const regionRows = text.split('\n').filter((l) => l.includes('(n = '));
    expect(regionRows).toHaveLength(2);
    for (const row of regionRows) {
      expect(row.trim()).toMatch(/^\(n = \d+\) [\d.]+\s.*[\u0600-\u06ff]$/);
    }
  });
});
