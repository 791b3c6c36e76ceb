import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { READINESS_KEYS, createAssessment } from './factories/assessments.js';
import { createProgramme } from './factories/programmes.js';
import { type Staff, createStaff } from './factories/users.js';
import { type TestApp, client, startTestApp } from './support/test-app.js';
import { cloneTemplateDatabase } from './support/test-database.js';

describe('assessments', () => {
  let t: TestApp;
  let staff: Staff;

  beforeAll(async () => {
    t = await startTestApp();
    staff = await createStaff(t.dataSource);
  });
  afterAll(() => t.close());

  it('should publish the two built-in templates with their areas and critical indicators', async () => {
    const as = client(t, staff.observer);
    const listed = (await as('GET', '/api/v1/assessment-templates')).json();
    expect(listed).toEqual([
      {
        key: 'cirt-maturity',
        version: '1.0.0',
        kind: 'maturity',
        title: 'CIRT maturity',
        publishedAt: '2026-11-22',
      },
      {
        key: 'itu-ncirt-readiness',
        version: '1.0.0',
        kind: 'readiness',
        title: 'National CIRT readiness',
        publishedAt: '2026-11-22',
      },
    ]);
    const readiness = (
      await as('GET', '/api/v1/assessment-templates/itu-ncirt-readiness/1.0.0')
    ).json();
    expect(readiness.areas.map((area: { key: string }) => area.key)).toEqual([
      'A',
      'B',
      'C',
      'D',
      'E',
      'F',
      'G',
      'H',
      'I',
      'J',
    ]);
    const critical = readiness.areas.flatMap(
      (area: { indicators: { key: string; critical: boolean }[] }) =>
        area.indicators.filter((indicator) => indicator.critical).map((indicator) => indicator.key),
    );
    expect(critical).toEqual(['A1', 'A2', 'C1', 'E1', 'E2', 'F1']);
    const maturity = (await as('GET', '/api/v1/assessment-templates/cirt-maturity/1.0.0')).json();
    expect(maturity.areas.map((area: { key: string }) => area.key)).toEqual(['O', 'H', 'T', 'P']);
    expect((await as('GET', '/api/v1/assessment-templates/cirt-maturity/9.9.9')).statusCode).toBe(
      404,
    );
  });

  it('should play the whole review: fill, refused submit, submit, return, change, resubmit, validate, frozen', async () => {
    const programme = await createProgramme(t, staff.admin, { countryCode: 'KE' });
    const team = client(t, staff.national_team);
    const pm = client(t, staff.itu_pm);

    const created = await team('POST', `/api/v1/programmes/${programme.id}/assessments`, {
      templateKey: 'itu-ncirt-readiness',
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      status: 'draft',
      templateVersion: '1.0.0',
      kind: 'readiness',
      answered: 0,
      total: 43,
    });
    const id = created.json().id;
    const answer = (key: string, body: object) =>
      team('PUT', `/api/v1/assessments/${id}/responses/${key}`, body);

    // All but B4 and J3 answered; A2 and G3 at level 3 without evidence; D4 not applicable.
    for (const key of READINESS_KEYS.filter((key) => !['B4', 'J3'].includes(key))) {
      const body =
        key === 'D4'
          ? { level: null, naReason: 'Model decided by law' }
          : key === 'A2' || key === 'G3'
            ? { level: 3 }
            : { level: key.startsWith('E') ? 1 : 4, evidence: [`https://docs.example.org/${key}`] };
      expect((await answer(key, body)).statusCode).toBe(200);
    }
    const refused = await team('POST', `/api/v1/assessments/${id}/submit`);
    expect(refused.statusCode).toBe(422);
    expect(refused.json().code).toBe('assessment_incomplete');
    expect(refused.json().errors).toEqual([
      {
        field: 'responses.A2',
        code: 'indicator_needs_evidence',
        message: 'A2 is at level 3 and needs evidence',
      },
      { field: 'responses.B4', code: 'indicator_unanswered', message: 'B4 is not answered' },
      {
        field: 'responses.G3',
        code: 'indicator_needs_evidence',
        message: 'G3 is at level 3 and needs evidence',
      },
      { field: 'responses.J3', code: 'indicator_unanswered', message: 'J3 is not answered' },
    ]);

    for (const key of ['A2', 'G3', 'B4', 'J3']) {
      await answer(key, { level: 3, evidence: ['Minutes of the steering committee, 2026-10-02'] });
    }
    const submitted = await team('POST', `/api/v1/assessments/${id}/submit`);
    expect(submitted.statusCode).toBe(200);
    expect(submitted.json()).toMatchObject({ status: 'submitted', answered: 43 });
    expect((await answer('A1', { level: 2 })).statusCode).toBe(422);

    const returned = await pm('POST', `/api/v1/assessments/${id}/return`, {
      note: 'E1 and E2 need the budget letter',
    });
    expect(returned.json()).toMatchObject({
      status: 'returned',
      returnNote: 'E1 and E2 need the budget letter',
      score: null,
    });
    for (const key of ['E1', 'E2']) {
      expect(
        (await answer(key, { level: 4, evidence: ['Budget letter 2026/114'] })).statusCode,
      ).toBe(200);
    }
    expect((await team('POST', `/api/v1/assessments/${id}/submit`)).statusCode).toBe(200);
    const validated = await pm('POST', `/api/v1/assessments/${id}/validate`);
    expect(validated.json()).toMatchObject({
      status: 'validated',
      validatedAt: expect.any(String),
    });

    const frozen = await answer('A1', { level: 0 });
    expect(frozen.statusCode).toBe(422);
    expect(frozen.json().code).toBe('assessment_not_editable');
    expect((await pm('POST', `/api/v1/assessments/${id}/validate`)).statusCode).toBe(422);

    // E: (1+1+4+4)/4 = 2.5 -> 62.5; others: area means of 4s and 3s; D: (4+4+4)/3 = 100 (D4 N/A)
    const score = (await team('GET', `/api/v1/assessments/${id}/score`)).json();
    const area = (key: string) => score.areas.find((a: { key: string }) => a.key === key).score;
    expect(area('E')).toBe(62.5);
    expect(area('D')).toBe(100);
    expect(area('A')).toBe(95.8); // (4 + 3 + 4 + 4 + 4 + 4) / 6 / 4
    expect(score.gaps.map((gap: { indicatorKey: string }) => gap.indicatorKey)).toEqual([
      'E3',
      'E4',
    ]);

    const listed = (await pm('GET', `/api/v1/programmes?country=KE&pageSize=200`)).json().items;
    expect(listed.find((p: { id: string }) => p.id === programme.id)).toMatchObject({
      readinessScore: score.overall,
      readinessBand: score.band,
    });
    const events = await t.dataSource.query(
      `SELECT action, count(*)::int AS n FROM audit_events WHERE entity_id = $1 GROUP BY action ORDER BY action`,
      [id],
    );
    expect(events).toEqual([
      { action: 'assessment.answered', n: 47 },
      { action: 'assessment.created', n: 1 },
      { action: 'assessment.returned', n: 1 },
      { action: 'assessment.submitted', n: 2 },
      { action: 'assessment.validated', n: 1 },
    ]);
  });

  it('should show observers scores and bands, never answers, evidence, notes or gaps', async () => {
    const programme = await createProgramme(t, staff.admin, { countryCode: 'GH' });
    const { id } = await createAssessment(t, staff.admin, programme.id, 'validated', (key) =>
      key === 'A1' ? 1 : 4,
    );
    const observer = client(t, staff.observer);
    const seen = (await observer('GET', `/api/v1/assessments/${id}`)).json();
    expect(seen).toMatchObject({ status: 'validated', band: 'conditionally_ready' });
    expect(seen.responses).toBeUndefined();
    expect(JSON.stringify(seen)).not.toContain('doc-1');
    const score = (await observer('GET', `/api/v1/assessments/${id}/score`)).json();
    expect(score).toMatchObject({ band: 'conditionally_ready', capped: true });
    expect(score.gaps).toBeUndefined();
    expect(
      (await observer('PUT', `/api/v1/assessments/${id}/responses/A1`, { level: 4 })).statusCode,
    ).toBe(403);

    const full = (await client(t, staff.admin)('GET', `/api/v1/assessments/${id}`)).json();
    expect(full.responses).toHaveLength(43);
  });

  it('should refuse a second open assessment of the same template with 409', async () => {
    const programme = await createProgramme(t, staff.admin, { countryCode: 'RW' });
    await createAssessment(t, staff.admin, programme.id);
    const again = await client(t, staff.admin)(
      'POST',
      `/api/v1/programmes/${programme.id}/assessments`,
      {
        templateKey: 'itu-ncirt-readiness',
      },
    );
    expect(again.statusCode).toBe(409);
  });

  it.each([
    ['a level of 5', { level: 5 }],
    ['a level of 2.5', { level: 2.5 }],
    ['a text level', { level: 'three' }],
    ['no level', { evidence: ['x'] }],
    ['N/A without a reason', { level: null }],
    ['a reason with a level', { level: 2, naReason: 'why not' }],
    ['evidence that is not a list', { level: 3, evidence: 'doc' }],
    ['too much evidence', { level: 3, evidence: Array.from({ length: 21 }, (_, i) => `doc ${i}`) }],
    ['an empty evidence item', { level: 3, evidence: [''] }],
    ['an unknown field', { level: 3, score: 100 }],
  ])('should answer 400 to an answer with %s and store nothing', async (_case, body) => {
    const programme = await createProgramme(t, staff.admin, { countryCode: 'UG' });
    const { id } = await createAssessment(t, staff.admin, programme.id);
    const response = await client(t, staff.admin)(
      'PUT',
      `/api/v1/assessments/${id}/responses/A1`,
      body,
    );
    expect(response.statusCode).toBe(400);
    expect(
      await t.dataSource.query('SELECT 1 FROM assessment_responses WHERE assessment_id = $1', [id]),
    ).toEqual([]);
  });

  it('should answer 404 for an indicator the template lacks and 400 for other bad requests', async () => {
    const programme = await createProgramme(t, staff.admin, { countryCode: 'ZM' });
    const { id } = await createAssessment(t, staff.admin, programme.id);
    const admin = client(t, staff.admin);
    expect(
      (await admin('PUT', `/api/v1/assessments/${id}/responses/Z9`, { level: 1 })).statusCode,
    ).toBe(404);
    expect(
      (
        await admin('POST', `/api/v1/programmes/${programme.id}/assessments`, {
          templateKey: 'no-such-template',
        })
      ).statusCode,
    ).toBe(400);
    expect((await admin('POST', `/api/v1/assessments/${id}/return`, { note: '' })).statusCode).toBe(
      400,
    );
    expect(
      (await admin('GET', `/api/v1/programmes/${programme.id}/assessments/trend?kind=other`))
        .statusCode,
    ).toBe(400);
  });
});

describe('published templates', () => {
  it('should stop the start when a published template file was edited, naming template and version', async () => {
    const database = await cloneTemplateDatabase('templates');
    const folder = await mkdtemp(join(tmpdir(), 'templates-'));
    const original = JSON.parse(
      await readFile('src/assessments/templates/itu-ncirt-readiness-1.0.0.json', 'utf8'),
    );
    original.areas[0].indicators[0].title = 'Political endorsement, reworded';
    await writeFile(join(folder, 'itu-ncirt-readiness-1.0.0.json'), JSON.stringify(original));
    try {
      await expect(
        startTestApp({ database, env: { ASSESSMENT_TEMPLATES_DIR: folder } }),
      ).rejects.toThrow(
        /Assessment template itu-ncirt-readiness 1\.0\.0 .*differs from the published version/,
      );
    } finally {
      await database.drop();
    }
  });
});

describe('published templates', () => {
  it('should take a corrected translation or level guidance of a published version, which changes no meaning', async () => {
    const database = await cloneTemplateDatabase('translations');
    const folder = await mkdtemp(join(tmpdir(), 'templates-'));
    const original = JSON.parse(
      await readFile('src/assessments/templates/itu-ncirt-readiness-1.0.0.json', 'utf8'),
    );
    original.translations.fr.indicators.A1 = 'Soutien politique à un CIRT national (revu)';
    original.scaleMeanings['2'] = 'A draft exists and is being discussed (revised).';
    await writeFile(join(folder, 'itu-ncirt-readiness-1.0.0.json'), JSON.stringify(original));
    try {
      const t = await startTestApp({ database, env: { ASSESSMENT_TEMPLATES_DIR: folder } });
      try {
        const staff = await createStaff(t.dataSource);
        const readiness = (
          await client(t, staff.admin)(
            'GET',
            '/api/v1/assessment-templates/itu-ncirt-readiness/1.0.0',
          )
        ).json();
        expect(readiness.translations.fr.indicators.A1).toBe(
          'Soutien politique à un CIRT national (revu)',
        );
        expect(readiness.scaleMeanings['2']).toBe(
          'A draft exists and is being discussed (revised).',
        );
      } finally {
        await t.close();
      }
    } finally {
      await database.drop();
    }
  });
});

describe('the trend across template versions', () => {
  let t: TestApp;
  let staff: Staff;

  beforeAll(async () => {
    const folder = await mkdtemp(join(tmpdir(), 'templates-'));
    await cp('test/fixtures/templates', folder, { recursive: true });
    t = await startTestApp({ env: { ASSESSMENT_TEMPLATES_DIR: folder } });
    staff = await createStaff(t.dataSource);
  });
  afterAll(() => t.close());

  it('should express a 1.0.0 and a 1.1.0 assessment in the areas of 1.1.0', async () => {
    const admin = client(t, staff.admin);
    const programme = await createProgramme(t, staff.admin, { countryCode: 'KE' });
    // 1.0.0: A3 at 0, J3 at 0, everything else 4.
    await createAssessment(t, staff.admin, programme.id, 'validated', (key) =>
      ['A3', 'J3'].includes(key) ? 0 : 4,
    );

    const created = await admin('POST', `/api/v1/programmes/${programme.id}/assessments`, {
      templateKey: 'itu-ncirt-readiness',
    });
    expect(created.json()).toMatchObject({ templateVersion: '1.1.0' });
    const id = created.json().id;
    const template = (
      await admin('GET', '/api/v1/assessment-templates/itu-ncirt-readiness/1.1.0')
    ).json();
    for (const area of template.areas) {
      for (const indicator of area.indicators) {
        const level =
          indicator.key === 'A3a' ? 4 : indicator.key === 'A3b' ? 2 : area.key === 'J' ? 2 : 4;
        await admin('PUT', `/api/v1/assessments/${id}/responses/${indicator.key}`, {
          level,
          evidence: ['doc'],
        });
      }
    }
    expect((await admin('POST', `/api/v1/assessments/${id}/submit`)).statusCode).toBe(200);
    expect((await admin('POST', `/api/v1/assessments/${id}/validate`)).statusCode).toBe(200);

    const trend = (
      await admin('GET', `/api/v1/programmes/${programme.id}/assessments/trend`)
    ).json();
    expect(trend).toMatchObject({
      kind: 'readiness',
      templateKey: 'itu-ncirt-readiness',
      templateVersion: '1.1.0',
    });
    expect(trend.areas).toHaveLength(10);
    const areaScores = (point: { areas: { key: string; score: number }[] }) =>
      Object.fromEntries(
        point.areas.filter((a) => ['A', 'B', 'J'].includes(a.key)).map((a) => [a.key, a.score]),
      );
    expect(trend.points.map((point: { templateVersion: string }) => point.templateVersion)).toEqual(
      ['1.0.0', '1.1.0'],
    );
    // 1.0.0 in 1.1.0 terms: A3=0 splits into A3a=0 and A3b=0 -> A = (4+4+0+0+4+4+4)/7/4 = 71.4;
    // J3 retired -> J = (4+4)/2 = 100.
    expect(areaScores(trend.points[0])).toEqual({ A: 71.4, B: 100, J: 100 });
    // 1.1.0: A = (4+4+4+2+4+4+4)/7/4 = 92.9; J = (2+2)/2/4 = 50.
    expect(areaScores(trend.points[1])).toEqual({ A: 92.9, B: 100, J: 50 });
  });
});
