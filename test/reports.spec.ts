import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import ExcelJS from 'exceljs';
import { createAssessment } from './factories/assessments.js';
import { createProgramme } from './factories/programmes.js';
import { type Staff, createStaff } from './factories/users.js';
import { type TestApp, client, startTestApp } from './support/test-app.js';
import { waitFor } from './support/wait.js';

const PHASES = ['readiness_assessment', 'planning', 'implementation', 'operation', 'maintenance'];
const COUNTRIES = [
  'KE',
  'GH',
  'NG',
  'SN',
  'RW',
  'UG',
  'TZ',
  'ZA',
  'MA',
  'EG',
  'JO',
  'TN',
  'BR',
  'MX',
  'CO',
  'PE',
  'CL',
  'IN',
  'ID',
  'PH',
  'VN',
  'TH',
  'KZ',
  'UZ',
  'AM',
  'FR',
  'DE',
  'PL',
  'RO',
  'UA',
];

/** RFC 4180 reader, enough for the report's CSV. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i];
    if (quoted && char === '"' && text[i + 1] === '"') {
      cell += '"';
      i += 1;
    } else if (char === '"') {
      quoted = !quoted;
    } else if (quoted) {
      cell += char;
    } else if (char === ',') {
      row.push(cell);
      cell = '';
    } else if (char === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i += 1;
    } else {
      cell += char;
    }
  }
  return rows;
}

describe('reports', () => {
  let t: TestApp;
  let staff: Staff;

  beforeAll(async () => {
    t = await startTestApp({ env: { PROCESS_ROLE: 'all' } });
    staff = await createStaff(t.dataSource);
    for (const [index, countryCode] of COUNTRIES.entries()) {
      const programme = await createProgramme(t, staff.admin, {
        countryCode,
        cirtType: 'national',
      });
      const phase = PHASES[index % PHASES.length];
      await t.dataSource.query(
        `UPDATE programmes SET phase = $2, phase_entered_at = now() - make_interval(days => $3),
                health = $4 WHERE id = $1`,
        [programme.id, phase, 10 * index, ['on_track', 'at_risk', 'off_track'][index % 3]],
      );
      // some milestones are overdue
      if (index % 4 === 0) {
        await t.dataSource.query(
          `UPDATE milestones SET due_date = current_date - 10 WHERE programme_id = $1`,
          [programme.id],
        );
      }
      if (index % 3 === 0) {
        await createAssessment(t, staff.admin, programme.id, 'validated', (key) =>
          key.startsWith('E') ? 1 : ((index % 5) as number),
        );
      }
    }
  }, 120_000);
  afterAll(() => t.close());

  async function compiled(as: ReturnType<typeof client>, body: object) {
    const requested = await as('POST', '/api/v1/reports', body);
    expect(requested.statusCode).toBe(202);
    expect(requested.json()).toMatchObject({ status: 'queued' });
    const id = requested.json().id;
    const report = await waitFor('the report to compile', async () => {
      const current = (await as('GET', `/api/v1/reports/${id}`)).json();
      return current.status === 'completed' || current.status === 'failed' ? current : undefined;
    });
    expect([report.status, report.error ?? null, report.progress]).toEqual([
      'completed',
      null,
      100,
    ]);
    const json = await as('GET', `/api/v1/reports/${id}/download?format=json`);
    return { report, json, snapshot: json.json(), id };
  }

  it('should compile the global report with the figures independent SQL gives', async () => {
    const pm = client(t, staff.itu_pm);
    const { report, json, snapshot, id } = await compiled(pm, {
      scope: {},
      formats: ['json', 'csv'],
    });
    expect(json.headers['content-type']).toMatch(/^application\/json/);
    expect(json.headers['content-disposition']).toMatch(
      /^attachment; filename="cirt-report-.*\.json"$/,
    );
    expect(report.contentHash).toBe(createHash('sha256').update(json.body).digest('hex'));

    const perPhase = await t.dataSource.query(
      `SELECT phase, count(*)::int AS n FROM programmes WHERE status <> 'cancelled' GROUP BY phase`,
    );
    expect(snapshot.overall.perPhase).toEqual(
      Object.fromEntries(perPhase.map((row: { phase: string; n: number }) => [row.phase, row.n])),
    );
    const meanByRegion = await t.dataSource.query(
      `SELECT c.region_code AS region, round(avg(a.overall_score), 1)::float AS mean
       FROM assessments a JOIN programmes p ON p.id = a.programme_id JOIN countries c ON c.code = p.country_code
       WHERE a.kind = 'readiness' AND a.status = 'validated' GROUP BY c.region_code`,
    );
    for (const { region, mean } of meanByRegion) {
      expect(
        snapshot.regions.find((r: { regionCode: string }) => r.regionCode === region).meanReadiness,
      ).toBe(mean);
    }
    const [{ overdue }] = await t.dataSource.query(
      `SELECT count(*)::int AS overdue FROM milestones m JOIN programmes p ON p.id = m.programme_id
       JOIN countries c ON c.code = p.country_code
       WHERE m.status IN ('planned', 'in_progress', 'blocked') AND m.due_date < (now() AT TIME ZONE c.timezone)::date`,
    );
    expect(overdue).toBeGreaterThan(0);
    expect(snapshot.overall.overdueMilestones).toBe(overdue);
    expect(snapshot.overall.countries).toBe(COUNTRIES.length);
    expect(snapshot.weakestIndicators[0]).toMatchObject({ meanLevel: 1 });
    expect(snapshot.weakestIndicators[0].indicatorKey).toMatch(/^E/);

    const csv = await pm('GET', `/api/v1/reports/${id}/download?format=csv`);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const [header, ...rows] = parseCsv(csv.body);
    expect(rows).toHaveLength(snapshot.programmes.length);
    const parsed = rows.map((row) =>
      Object.fromEntries(header.map((column, i) => [column, row[i]])),
    );
    expect(parsed.map((row) => row.programmeId)).toEqual(
      snapshot.programmes.map((row: { programmeId: string }) => row.programmeId),
    );
    expect(parsed.map((row) => row.phase)).toEqual(
      snapshot.programmes.map((row: { phase: string }) => row.phase),
    );
    expect(parsed.map((row) => row.readinessScore)).toEqual(
      snapshot.programmes.map((row: { readinessScore: number | null }) =>
        row.readinessScore === null ? '' : String(row.readinessScore),
      ),
    );
  });

  it('should render XLSX with its five sheets and a PDF whose text holds the as-of date, scope and totals', async () => {
    const pm = client(t, staff.itu_pm);
    const { snapshot, id } = await compiled(pm, { scope: {}, formats: ['json', 'xlsx', 'pdf'] });

    const xlsx = await pm('GET', `/api/v1/reports/${id}/download?format=xlsx`);
    expect(xlsx.headers['content-type']).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual([
      'Summary',
      'Countries',
      'Regions',
      'Gaps',
      'Changes',
    ]);
    const countries = workbook.getWorksheet('Countries')!;
    expect(countries.rowCount).toBe(snapshot.programmes.length + 1);
    expect(countries.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(countries.getRow(1).getCell(7).value).toBe('Days in phase');
    expect(typeof countries.getRow(2).getCell(7).value).toBe('number');

    const pdf = await pm('GET', `/api/v1/reports/${id}/download?format=pdf`);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const text = execFileSync('pdftotext', ['-layout', '-', '-'], {
      input: pdf.rawPayload,
    }).toString('utf8');
    expect(text).toContain(snapshot.asOf);
    expect(text).toContain('Scope: All tracked countries');
    expect(text).toContain(
      `Programmes: ${snapshot.overall.programmes} in ${snapshot.overall.countries} countries`,
    );
    expect(text).toContain(`Overdue milestones: ${snapshot.overall.overdueMilestones}`);
    expect(text).toMatch(/Page 1 of \d+/);
  });

  it("should keep a coordinator's report to their region and list what changed since the last one", async () => {
    const coordinator = client(t, staff.regional_coordinator);
    const first = await compiled(coordinator, { scope: {}, formats: ['json'] });
    expect(first.snapshot.scope).toEqual({ regionCode: 'AFR' });
    expect(
      new Set(first.snapshot.programmes.map((row: { regionCode: string }) => row.regionCode)),
    ).toEqual(new Set(['AFR']));
    expect(first.snapshot.changes).toEqual({ since: null, items: [] });

    const moved = first.snapshot.programmes[0];
    await t.dataSource.query(`UPDATE programmes SET phase = 'maintenance' WHERE id = $1`, [
      moved.programmeId,
    ]);
    const second = await compiled(coordinator, { scope: { regionCode: 'AFR' }, formats: ['json'] });
    expect(second.snapshot.changes.since).toBe(first.id);
    expect(second.snapshot.changes.items).toContainEqual({
      programmeId: moved.programmeId,
      countryCode: moved.countryCode,
      kind: 'phase',
      from: moved.phase,
      to: 'maintenance',
    });
  });

  it('should refuse other regions to a coordinator (404), reports to a national team (403), and bad requests (400)', async () => {
    const coordinator = client(t, staff.regional_coordinator);
    const before = (await t.dataSource.query('SELECT count(*)::int AS n FROM reports'))[0].n;
    expect(
      (
        await coordinator('POST', '/api/v1/reports', {
          scope: { countryCodes: ['FR'] },
          formats: ['json'],
        })
      ).statusCode,
    ).toBe(404);
    expect(
      (
        await coordinator('POST', '/api/v1/reports', {
          scope: { regionCode: 'EUR' },
          formats: ['json'],
        })
      ).statusCode,
    ).toBe(404);
    expect(
      (
        await client(t, staff.national_team)('POST', '/api/v1/reports', {
          scope: {},
          formats: ['json'],
        })
      ).statusCode,
    ).toBe(403);
    const admin = client(t, staff.admin);
    for (const body of [
      { scope: {}, formats: [] },
      { scope: {}, formats: ['docx'] },
      { scope: {}, formats: ['json', 'json'] },
      { scope: { regionCode: 'AFR', countryCodes: ['KE'] }, formats: ['json'] },
      { scope: { countryCodes: ['ZZ'] }, formats: ['json'] },
      { scope: { countryCodes: 'KE' }, formats: ['json'] },
      { formats: ['json'] },
      { scope: {}, formats: ['json'], urgent: true },
    ]) {
      const response = await admin('POST', '/api/v1/reports', body);
      expect([JSON.stringify(body), response.statusCode]).toEqual([JSON.stringify(body), 400]);
    }
    expect((await t.dataSource.query('SELECT count(*)::int AS n FROM reports'))[0].n).toBe(before);
    const global = (await client(t, staff.itu_pm)('GET', '/api/v1/reports?pageSize=200')).json();
    const regional = (await coordinator('GET', '/api/v1/reports?pageSize=200')).json();
    expect(regional.total).toBeLessThan(global.total);
    expect(
      regional.items.every((r: { scope: { regionCode?: string } }) => r.scope.regionCode === 'AFR'),
    ).toBe(true);
  });
});
