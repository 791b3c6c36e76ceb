import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import ExcelJS from 'exceljs';
import { formatMessage } from '../src/messages/catalog.js';
import { QueueName, ReportJob } from '../src/queues/queue-names.js';
import { createAssessment } from './factories/assessments.js';
import { createProgramme } from './factories/programmes.js';
import { type Staff, createStaff, createUser } from './factories/users.js';
import { type TestApp, client, startTestApp } from './support/test-app.js';
import { waitFor } from './support/wait.js';
import { parseCsv, pdfText, withoutBidiMarks } from './support/file-readers.js';

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

/** The countries given a validated readiness assessment below (every third). */
const ASSESSED = COUNTRIES.filter((_, index) => index % 3 === 0);

const WITHHELD_NOTE =
  'Indicator-level figures are withheld: this scope has fewer than 5 validated assessments.';

/** The CSV's columns, as the snapshot names the fields. */
const CSV_FIELDS = [
  'countryCode',
  'countryName',
  'regionCode',
  'programmeId',
  'title',
  'cirtType',
  'sector',
  'phase',
  'status',
  'daysInPhase',
  'health',
  'readinessScore',
  'readinessBand',
  'maturityScore',
  'milestonesDone',
  'milestonesTotal',
  'overdueMilestones',
  'nextDueMilestone',
  'nextDueDate',
  'pendingTransition',
  // The programme's documents, in words (test/report-deliverables.spec.ts).
  'deliverables',
];

/** The Countries sheet's columns, as the snapshot names the fields. */
const COUNTRY_SHEET_FIELDS = [
  'countryName',
  'countryCode',
  'regionCode',
  'title',
  'phase',
  'status',
  'daysInPhase',
  'health',
  'readinessScore',
  'readinessBand',
  'maturityScore',
  'milestonesDone',
  'milestonesTotal',
  'overdueMilestones',
  'nextDueMilestone',
  'nextDueDate',
  'pendingTransition',
];

/** The header of a field's column in a language. */
const columnLabel = (locale: 'en' | 'fr', field: string) =>
  formatMessage('reports', locale, `column.${field}`);

/**
 * pdftotext guesses word breaks from the gaps between glyphs, and an Arabic letter that does not
 * join the next leaves one (جاهز ية for جاهزية): a phrase of several words is compared without its
 * spaces.
 */
const compact = (text: string) => text.replace(/\s+/g, '');

/** The CSV's programme rows: those before the empty row that opens the lifecycle KPIs. */
const programmeRows = (rows: string[][]) =>
  rows.slice(
    0,
    rows.findIndex((row) => row.every((cell) => cell === '')),
  );

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
    const [header, ...rows] = programmeRows(parseCsv(csv.body));
    expect(rows).toHaveLength(snapshot.programmes.length);
    // The header row is in the report's language (the requester's, English): labels, no longer
    // the snapshot's field names.
    expect(header).toEqual(CSV_FIELDS.map((field) => columnLabel('en', field)));
    const parsed = rows.map((row) =>
      Object.fromEntries(header.map((column, i) => [column, row[i]])),
    );
    expect(parsed.map((row) => row[columnLabel('en', 'programmeId')])).toEqual(
      snapshot.programmes.map((row: { programmeId: string }) => row.programmeId),
    );
    expect(parsed.map((row) => row[columnLabel('en', 'phase')])).toEqual(
      snapshot.programmes.map((row: { phase: string }) => row.phase),
    );
    expect(parsed.map((row) => row[columnLabel('en', 'readinessScore')])).toEqual(
      snapshot.programmes.map((row: { readinessScore: number | null }) =>
        row.readinessScore === null ? '' : String(row.readinessScore),
      ),
    );
  });

  it('should render XLSX with its seven sheets and a PDF whose text holds the as-of date, scope and totals', async () => {
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
      'Lifecycle KPIs',
      'Gaps',
      'Changes',
      'Deliverables',
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
    // The as-of time as the language writes it, through Intl, in UTC (it was the ISO timestamp).
    const asOf = new Date(snapshot.asOf);
    expect(text).toContain(
      `As of: ${new Intl.DateTimeFormat('en', { dateStyle: 'long', timeZone: 'UTC' }).format(asOf)}`,
    );
    expect(text).toContain(
      new Intl.DateTimeFormat('en', { timeStyle: 'short', timeZone: 'UTC' }).format(asOf),
    );
    expect(text).toContain('UTC');
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}/);
    expect(text).toContain('Scope: All tracked countries');
    expect(text).toContain(
      `Programmes: ${snapshot.overall.programmes} in ${snapshot.overall.countries} countries`,
    );
    expect(text).toContain(`Overdue milestones: ${snapshot.overall.overdueMilestones}`);
    expect(text).toMatch(/Page 1 of \d+/);

    // Every code in words: no phase, health, band, CIRT type or status as the data spells it.
    expect(text).not.toMatch(
      /\b(readiness_assessment|on_track|at_risk|off_track|not_ready|conditionally_ready|active|sectoral|government)\b/,
    );
    const label = (key: string) => formatMessage('reports', 'en', key);
    const lines = text.split('\n').map((line) => line.trim());
    const rows = snapshot.programmes.map(
      (programme: {
        countryName: string;
        phase: string;
        health: string;
        readinessBand: string | null;
      }) => {
        const words = [
          label(`cirtType.national`),
          label(`phase.${programme.phase}`),
          label('programmeStatus.active'),
          label(`health.${programme.health}`),
          ...(programme.readinessBand ? [label(`band.${programme.readinessBand}`)] : []),
        ];
        const row = lines.find(
          (line) =>
            line.startsWith(`${programme.countryName} `) &&
            words.every((word) => line.includes(word)),
        );
        return [programme.countryName, words, row !== undefined];
      },
    );
    expect(rows.filter(([, , found]: unknown[]) => !found)).toEqual([]);
    expect(rows.length).toBe(COUNTRIES.length);
    for (const phase of PHASES) expect(text).toContain(label(`phase.${phase}`));
  });

  it('should list earlier reports on the reports page with their scopes and statuses in words', async () => {
    const pm = client(t, await createUser(t.dataSource, { role: 'itu_pm' }));
    // Outside Africa: the coordinator's tests below count the reports that cover Africa.
    const countries = await compiled(pm, {
      scope: { countryCodes: ['FR', 'DE'] },
      formats: ['json'],
    });
    const region = await compiled(pm, { scope: { regionCode: 'EUR' }, formats: ['json'] });
    const page = await pm('GET', '/app/reports');
    expect(page.statusCode).toBe(200);
    const row = (id: string) => {
      const start = page.body.indexOf(`<tr data-report="${id}"`);
      expect(start).toBeGreaterThan(-1);
      return page.body.slice(start, page.body.indexOf('</tr>', start));
    };
    const ready = formatMessage('pages', 'en', 'reportStatus.completed');
    expect(row(countries.id)).toContain('<td data-label="Scope">France and Germany</td>');
    expect(row(region.id)).toContain('<td data-label="Scope">Europe</td>');
    for (const id of [countries.id, region.id]) {
      expect(row(id)).toContain(`>${ready}</span>`);
      expect(row(id)).not.toMatch(/>(FR|DE|EUR|completed)\b/);
    }
  });

  it("should keep a coordinator's report to their region and list what changed since the last one", async () => {
    const coordinator = client(t, staff.regional_coordinator);
    const first = await compiled(coordinator, { scope: {}, formats: ['json'] });
    expect(first.snapshot.scope).toEqual({ regionCode: 'AFR' });
    expect(
      new Set(first.snapshot.programmes.map((row: { regionCode: string }) => row.regionCode)),
    ).toEqual(new Set(['AFR']));
    expect(first.snapshot.changes).toEqual({ since: null, items: [], kpis: [] });

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

  /** Every format of a report, as this reader downloads it. */
  async function downloads(as: ReturnType<typeof client>, id: string) {
    const get = (format: string) => as('GET', `/api/v1/reports/${id}/download?format=${format}`);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await get('xlsx')).rawPayload as unknown as ArrayBuffer);
    const gaps = workbook.getWorksheet('Gaps')!;
    return {
      json: (await get('json')).json(),
      csv: parseCsv((await get('csv')).body),
      gaps: Array.from({ length: gaps.rowCount }, (_, i) => gaps.getRow(i + 1).getCell(1).value),
      pdf: execFileSync('pdftotext', ['-layout', '-', '-'], {
        input: (await get('pdf')).rawPayload,
      }).toString('utf8'),
    };
  }

  it('should leave indicator levels out of every format for an observer when the scope has fewer than 5 validated assessments', async () => {
    const pm = client(t, await createUser(t.dataSource, { role: 'itu_pm' }));
    const { id } = await compiled(pm, {
      scope: { countryCodes: ASSESSED.slice(0, 4) },
      formats: ['json', 'csv', 'xlsx', 'pdf'],
    });
    const manager = await downloads(pm, id);
    const observer = await downloads(client(t, staff.observer), id);

    expect(manager.json.indicatorDetailWithheld).toBe(false);
    expect(manager.json.weakestIndicators.length).toBeGreaterThan(0);
    const weakest = manager.json.weakestIndicators[0];
    expect(weakest).toMatchObject({ assessments: 4 });
    expect(observer.json.indicatorDetailWithheld).toBe(true);
    expect(observer.json.weakestIndicators).toEqual([]);
    // Scores stay.
    expect(observer.json.programmes).toEqual(manager.json.programmes);
    expect(observer.json.overall).toEqual(manager.json.overall);

    expect(manager.csv.flat()).not.toContain(WITHHELD_NOTE);
    expect(observer.csv.slice(0, -1)).toEqual(manager.csv);
    expect(observer.csv.at(-1)).toEqual([WITHHELD_NOTE, ...manager.csv[0].slice(1).map(() => '')]);

    expect(manager.gaps[1]).toBe(weakest.indicatorKey);
    expect(observer.gaps).toEqual(['Indicator', WITHHELD_NOTE]);

    expect(manager.pdf).toContain(weakest.indicatorKey);
    expect(manager.pdf).not.toContain('Indicator-level figures are withheld');
    expect(observer.pdf).toContain('Indicator-level figures are withheld');
    expect(observer.pdf).not.toMatch(new RegExp(`\\b${weakest.indicatorKey}\\b`));
  });

  it('should show observers the indicator levels of a scope with at least 5 validated assessments', async () => {
    const pm = client(t, await createUser(t.dataSource, { role: 'itu_pm' }));
    const { id } = await compiled(pm, {
      scope: { countryCodes: ASSESSED.slice(0, 5) },
      formats: ['json', 'csv', 'xlsx', 'pdf'],
    });
    const manager = await downloads(pm, id);
    const observer = await downloads(client(t, staff.observer), id);
    expect(observer.json).toEqual(manager.json);
    expect(observer.json.indicatorDetailWithheld).toBe(false);
    expect(observer.json.weakestIndicators[0]).toMatchObject({ assessments: 5 });
    expect(observer.csv).toEqual(manager.csv);
    expect(observer.gaps).toEqual(manager.gaps);
    expect(observer.pdf).not.toContain('Indicator-level figures are withheld');
  });

  it('should delete the reports older than REPORT_RETENTION_DAYS with their files, daily, and keep the recent ones', async () => {
    const queue: Queue = t.app.get(getQueueToken(QueueName.Reports));
    const retention = (await queue.getJobSchedulers(0, -1)).find(
      (scheduler) => scheduler.key === ReportJob.Retention,
    );
    expect(retention?.pattern).toMatch(/^\d+ \d+ \* \* \*$/);

    const pm = client(t, await createUser(t.dataSource, { role: 'itu_pm' }));
    const old = await compiled(pm, { scope: { countryCodes: ['KE'] }, formats: ['json', 'csv'] });
    const recent = await compiled(pm, { scope: { countryCodes: ['GH'] }, formats: ['json'] });
    await t.dataSource.query(
      `UPDATE reports SET created_at = now() - interval '366 days' WHERE id = $1`,
      [old.id],
    );
    await t.dataSource.query(
      `UPDATE reports SET created_at = now() - interval '364 days' WHERE id = $1`,
      [recent.id],
    );
    // An e-mail that carried the old report stays in the delivery log.
    const [mail] = await t.dataSource.query(
      `INSERT INTO notifications (kind, channel, dedupe_key, recipient, subject, body_text, not_before, status, report_id)
       VALUES ('report.completed', 'email', $2, 'pm@example.org', 'Report', 'Attached', now(), 'sent', $1)
       RETURNING id`,
      [old.id, `retention-test:${old.id}`],
    );
    const files = async (id: string) =>
      (
        await t.dataSource.query(
          'SELECT count(*)::int AS n FROM report_files WHERE report_id = $1',
          [id],
        )
      )[0].n;
    expect(await files(old.id)).toBe(2);

    await queue.add(ReportJob.Retention, {});
    await waitFor('the old report to go', async () => (await files(old.id)) === 0);
    expect((await pm('GET', `/api/v1/reports/${old.id}`)).statusCode).toBe(404);
    expect((await pm('GET', `/api/v1/reports/${recent.id}`)).statusCode).toBe(200);
    expect(await files(recent.id)).toBe(1);
    expect(
      await t.dataSource.query('SELECT report_id AS "reportId" FROM notifications WHERE id = $1', [
        mail.id,
      ]),
    ).toEqual([{ reportId: null }]);
    expect(
      await t.dataSource.query(
        `SELECT action, actor_id AS "actorId" FROM audit_events WHERE entity_type = 'report' AND entity_id = $1 ORDER BY occurred_at, id`,
        [old.id],
      ),
    ).toEqual([
      { action: 'report.requested', actorId: expect.any(String) },
      { action: 'report.expired', actorId: null },
    ]);
  });

  describe('in the six languages', () => {
    /** A user of its own, so that the tests stay under the per-user request limit. */
    const freshPm = async (locale = 'en') => {
      const user = await createUser(t.dataSource, { role: 'itu_pm' });
      await t.dataSource.query('UPDATE users SET locale = $2 WHERE id = $1', [user.id, locale]);
      return client(t, user);
    };
    const countryName = async (code: string, locale: string) =>
      (
        await t.dataSource.query(`SELECT names ->> $2 AS name FROM countries WHERE code = $1`, [
          code,
          locale,
        ])
      )[0].name as string;

    it('should write a PDF asked for in Arabic right to left, shaped, its headings in Arabic, and keep the JSON in codes', async () => {
      const pm = await freshPm();
      const scope = { countryCodes: ['EG', 'JO', 'MA', 'KE'] };
      const arabic = await compiled(pm, { scope, formats: ['json', 'pdf'], locale: 'ar' });
      expect(arabic.report.locale).toBe('ar');
      const english = await compiled(pm, { scope, formats: ['json'] });
      expect(english.report.locale).toBe('en');
      // The snapshot, which the content hash covers, is in codes whatever the language.
      expect(arabic.snapshot.programmes).toEqual(english.snapshot.programmes);
      expect(arabic.report.contentHash).toBe(
        createHash('sha256').update(arabic.json.body).digest('hex'),
      );

      const pdf = (await pm('GET', `/api/v1/reports/${arabic.id}/download?format=pdf`)).rawPayload;
      const text = withoutBidiMarks(pdfText(pdf));
      const lines = text.split('\n');
      const ar = (key: string) => formatMessage('reports', 'ar', key);
      for (const heading of [ar('pdf.regions'), ar('pdf.countries')]) {
        // Read back in logical order, alone on its line, and set on the right of the page.
        const line = lines.find((candidate) => candidate.trim() === heading);
        expect([heading, line !== undefined]).toEqual([heading, true]);
        expect(line!.length - line!.trimStart().length).toBeGreaterThan(40);
      }
      expect(compact(text)).toContain(compact(ar('title')));
      expect(compact(text)).toContain(compact(ar('pdf.weakestIndicators')));
      expect(text).toContain(await countryName('EG', 'ar'));
      expect(text).toContain(formatMessage('pages', 'ar', 'region.ARB'));
      // Nothing of the English report is left.
      for (const english of ['Regions', 'Countries', 'Scope', 'Page 1']) {
        expect(text).not.toContain(english);
      }
      // Every font is embedded: Amiri for Arabic, Noto Sans for the digits and Latin.
      const dir = mkdtempSync(join(tmpdir(), 'report-'));
      writeFileSync(join(dir, 'ar.pdf'), pdf);
      const fonts = execFileSync('pdffonts', [join(dir, 'ar.pdf')]).toString('utf8');
      rmSync(dir, { recursive: true });
      const rows = fonts.split('\n').slice(2).filter(Boolean);
      expect(rows.some((row) => /Amiri/.test(row))).toBe(true);
      expect(rows.some((row) => /NotoSans/.test(row))).toBe(true);
      expect(rows.filter((row) => !/\byes\s+yes\s+yes\s+\d+\s+\d+\s*$/.test(row))).toEqual([]);
    });

    it('should write a PDF asked for in Chinese with its title, headings and names in Chinese', async () => {
      const pm = await freshPm();
      const { report, id } = await compiled(pm, {
        scope: { regionCode: 'AFR' },
        formats: ['json', 'pdf'],
        locale: 'zh',
      });
      expect(report.locale).toBe('zh');
      const text = pdfText(
        (await pm('GET', `/api/v1/reports/${id}/download?format=pdf`)).rawPayload,
      );
      const zh = (key: string, values = {}) => formatMessage('reports', 'zh', key, values);
      for (const key of [
        'title',
        'pdf.regions',
        'pdf.programmesPerPhase',
        'pdf.countries',
        'pdf.weakestIndicators',
      ]) {
        expect(text).toContain(zh(key));
      }
      const africa = formatMessage('pages', 'zh', 'region.AFR');
      expect(text).toContain(
        zh('pdf.scope', { scope: zh('scope.region', { code: 'AFR', region: africa }) }),
      );
      expect(text).toContain(formatMessage('pages', 'zh', 'phase.planning'));
      expect(text).toContain(await countryName('KE', 'zh'));
      expect(text).toMatch(/第 1 页，共 \d+ 页/);
      expect(text).not.toContain('Regions');
    });

    it('should write the CSV header row, the XLSX sheets, headers and labels in French when asked, as the catalog has them', async () => {
      const pm = await freshPm();
      const scope = { countryCodes: ['FR', 'SN'] };
      const french = await compiled(pm, { scope, formats: ['json', 'csv', 'xlsx'], locale: 'fr' });
      const english = await compiled(pm, { scope, formats: ['json', 'csv', 'xlsx'] });
      const csv = async (id: string) =>
        programmeRows(
          parseCsv((await pm('GET', `/api/v1/reports/${id}/download?format=csv`)).body),
        );
      const [frenchCsv, englishCsv] = [await csv(french.id), await csv(english.id)];
      expect(frenchCsv[0]).toEqual(CSV_FIELDS.map((field) => columnLabel('fr', field)));
      expect(englishCsv[0]).toEqual(CSV_FIELDS.map((field) => columnLabel('en', field)));
      expect(frenchCsv[0]).not.toEqual(englishCsv[0]);
      // The values stay codes and plain numbers, but the names of the countries.
      const name = CSV_FIELDS.indexOf('countryName');
      const withoutNames = (rows: string[][]) =>
        rows.slice(1).map((row) => row.filter((_, i) => i !== name));
      expect(withoutNames(frenchCsv)).toEqual(withoutNames(englishCsv));
      expect(frenchCsv.slice(1).map((row) => row[name])).toContain(await countryName('SN', 'fr'));

      const workbook = async (id: string) => {
        const book = new ExcelJS.Workbook();
        const file = await pm('GET', `/api/v1/reports/${id}/download?format=xlsx`);
        await book.xlsx.load(file.rawPayload as unknown as ArrayBuffer);
        return book;
      };
      const [frenchBook, englishBook] = [await workbook(french.id), await workbook(english.id)];
      const sheetNames = [
        'summary',
        'countries',
        'regions',
        'kpis',
        'gaps',
        'changes',
        'deliverables',
      ];
      expect(frenchBook.worksheets.map((sheet) => sheet.name)).toEqual(
        sheetNames.map((key) => formatMessage('reports', 'fr', `sheet.${key}`)),
      );
      expect(englishBook.worksheets.map((sheet) => sheet.name)).toEqual([
        'Summary',
        'Countries',
        'Regions',
        'Lifecycle KPIs',
        'Gaps',
        'Changes',
        'Deliverables',
      ]);
      const headerRow = (book: ExcelJS.Workbook, index: number) =>
        (book.worksheets[index].getRow(1).values as unknown[]).slice(1);
      expect(headerRow(frenchBook, 1)).toEqual(
        COUNTRY_SHEET_FIELDS.map((field) => columnLabel('fr', field)),
      );
      expect(headerRow(englishBook, 1)).toEqual(
        COUNTRY_SHEET_FIELDS.map((field) => columnLabel('en', field)),
      );
      expect(headerRow(frenchBook, 1)).not.toEqual(headerRow(englishBook, 1));
      const summary = frenchBook.worksheets[0];
      expect(summary.getRow(2).getCell(1).value).toBe(formatMessage('reports', 'fr', 'label.asOf'));
      expect(summary.getRow(3).getCell(2).value).toBe(
        `${await countryName('FR', 'fr')} et ${await countryName('SN', 'fr')}`,
      );
      expect(headerRow(frenchBook, 2)).toContain(formatMessage('pages', 'fr', 'phase.planning'));
    });

    it("should write a report in the requester's saved language when none is asked for, and in the one asked for otherwise", async () => {
      const pm = await freshPm('ru');
      const scope = { countryCodes: ['UA'] };
      const saved = await compiled(pm, { scope, formats: ['json', 'pdf'] });
      expect(saved.report.locale).toBe('ru');
      const text = pdfText(
        (await pm('GET', `/api/v1/reports/${saved.id}/download?format=pdf`)).rawPayload,
      );
      expect(text).toContain(formatMessage('reports', 'ru', 'title'));
      expect(text).toContain(await countryName('UA', 'ru'));
      const asked = await compiled(pm, { scope, formats: ['json'], locale: 'es' });
      expect(asked.report.locale).toBe('es');
      const listed = (await pm('GET', '/api/v1/reports?pageSize=200')).json();
      expect(
        listed.items
          .filter((item: { id: string }) => [saved.id, asked.id].includes(item.id))
          .map((item: { id: string; locale: string }) => [item.id, item.locale])
          .sort(),
      ).toEqual(
        [
          [saved.id, 'ru'],
          [asked.id, 'es'],
        ].sort(),
      );
    });

    it('should refuse a language it does not have with 400 naming the field, and store nothing', async () => {
      const pm = await freshPm();
      const before = (await t.dataSource.query('SELECT count(*)::int AS n FROM reports'))[0].n;
      for (const locale of ['de', 'EN', 'fr-CA', '', 7]) {
        const response = await pm('POST', '/api/v1/reports', {
          scope: {},
          formats: ['json'],
          locale,
        });
        expect([locale, response.statusCode]).toEqual([locale, 400]);
        expect(response.headers['content-type']).toContain('application/problem+json');
        expect(response.json()).toMatchObject({
          code: 'validation_failed',
          errors: [expect.objectContaining({ field: 'locale', code: 'is_in' })],
        });
      }
      expect((await t.dataSource.query('SELECT count(*)::int AS n FROM reports'))[0].n).toBe(
        before,
      );
    });
  });

  describe('when compiling fails', () => {
    // A real fault of PostgreSQL's, raised by a trigger on report_files of this file's own
    // database for the reports of the country a test names: one of SQLSTATE 40001
    // (serialization failure) is transient, one of P0001 (a raised exception) is not.
    beforeAll(async () => {
      await t.dataSource.query(`
        CREATE TABLE test_compile_faults (country_code text PRIMARY KEY, sqlstate text NOT NULL, times int NOT NULL);
        CREATE SEQUENCE test_compile_attempts;
        CREATE FUNCTION test_compile_fault() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE fault test_compile_faults;
        BEGIN
          SELECT f.* INTO fault FROM test_compile_faults f
            JOIN reports r ON r.scope -> 'countryCodes' ->> 0 = f.country_code
           WHERE r.id = NEW.report_id;
          -- nextval is not rolled back with the failed attempt: it counts the attempts.
          IF FOUND AND nextval('test_compile_attempts') <= fault.times THEN
            RAISE EXCEPTION 'injected fault %', fault.sqlstate USING ERRCODE = fault.sqlstate;
          END IF;
          RETURN NEW;
        END $$;
        CREATE TRIGGER test_compile_fault BEFORE INSERT ON report_files
          FOR EACH ROW EXECUTE FUNCTION test_compile_fault();
      `);
    });
    afterAll(async () => {
      await t.dataSource.query(`DROP TRIGGER test_compile_fault ON report_files`);
    });

    /** Asks for a report of a country whose files fail to store `times` times with `sqlstate`. */
    async function failing(countryCode: string, sqlstate: string, times: number) {
      const pm = client(t, await createUser(t.dataSource, { role: 'itu_pm' }));
      await t.dataSource.query(`ALTER SEQUENCE test_compile_attempts RESTART`);
      await t.dataSource.query(`INSERT INTO test_compile_faults VALUES ($1, $2, $3)`, [
        countryCode,
        sqlstate,
        times,
      ]);
      const requested = await pm('POST', '/api/v1/reports', {
        scope: { countryCodes: [countryCode] },
        formats: ['json'],
      });
      expect(requested.statusCode).toBe(202);
      return { id: requested.json().id as string, pm };
    }
    const attempts = async () =>
      Number(
        (await t.dataSource.query(`SELECT last_value, is_called FROM test_compile_attempts`)).map(
          (row: { last_value: string; is_called: boolean }) => (row.is_called ? row.last_value : 0),
        )[0],
      );
    const finished = (pm: ReturnType<typeof client>, id: string) =>
      waitFor(
        'the report to finish',
        async () => {
          const current = (await pm('GET', `/api/v1/reports/${id}`)).json();
          return current.status === 'completed' || current.status === 'failed'
            ? current
            : undefined;
        },
        60_000,
      );

    it('should try again after a transient error and complete the report, never marked failed', async () => {
      const { id, pm } = await failing('GH', '40001', 1);
      const report = await finished(pm, id);
      expect([report.status, report.error ?? null]).toEqual(['completed', null]);
      expect(await attempts()).toBe(2);
    }, 90_000);

    it('should mark the report failed at once, and not try again, after a permanent error', async () => {
      const { id, pm } = await failing('NG', 'P0001', 99);
      const report = await finished(pm, id);
      expect(report.status).toBe('failed');
      expect(report.error).toMatch(/^The report could not be compiled: injected fault P0001/);
      const queue: Queue = t.app.get(getQueueToken(QueueName.Reports));
      const job = await waitFor('the job to fail', async () => {
        const current = await queue.getJob(id);
        return (await current?.getState()) === 'failed' && current;
      });
      expect(job.attemptsMade).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, 6_000)); // past the first backoff
      expect(await attempts()).toBe(1);
    }, 90_000);

    it('should mark the report failed only when a transient error leaves no attempt', async () => {
      const { id, pm } = await failing('SN', '40001', 99);
      const seen = new Set<string>();
      const report = await waitFor(
        'the report to fail',
        async () => {
          const current = (await pm('GET', `/api/v1/reports/${id}`)).json();
          seen.add(current.status);
          return current.status === 'failed' ? current : undefined;
        },
        60_000,
      );
      // three attempts (the queue's), the row running through the first two
      expect(await attempts()).toBe(3);
      expect(seen.has('running')).toBe(true);
      expect(report.error).toMatch(/^The report could not be compiled: injected fault 40001/);
    }, 90_000);
  });
});
