import { localDate } from '../src/common/dates.js';
import { ReminderScan } from '../src/reminders/reminder-scan.service.js';
import { READINESS_KEYS, createAssessment } from './factories/assessments.js';
import { createProgramme, createStakeholder } from './factories/programmes.js';
import { type Staff, type TestUser, createStaff, createUser } from './factories/users.js';
import { type TestApp, client, controlClock, startTestApp } from './support/test-app.js';

const TEMPLATE = { templateKey: 'itu-ncirt-readiness', templateVersion: '1.0.0' };

describe('assessment campaigns', () => {
  let t: TestApp;
  let staff: Staff;
  let clock: { current: Date };
  let kenya: { id: string };
  let ghana: { id: string };
  let nigeria: { id: string };
  let senegal: { id: string };
  let france: { id: string };

  /** What a refused launch must leave as it was. */
  const written = async () => {
    const [row] = await t.dataSource.query(
      `SELECT (SELECT count(*) FROM assessment_campaigns)::int AS campaigns,
              (SELECT count(*) FROM assessments)::int AS assessments,
              (SELECT count(*) FROM audit_events WHERE action LIKE 'campaign.%')::int AS events`,
    );
    return row as { campaigns: number; assessments: number; events: number };
  };

  /** Answers every indicator straight into the database, as the assessment factory does. */
  const answerAll = async (assessmentId: string, by: TestUser) => {
    for (const key of READINESS_KEYS) {
      await t.dataSource.query(
        `INSERT INTO assessment_responses (assessment_id, indicator_key, level, evidence, updated_by)
         VALUES ($1, $2, 2, '[]', $3)`,
        [assessmentId, key, by.id],
      );
    }
  };

  const setStatus = async (programmeId: string, status: string) => {
    const as = client(t, staff.admin);
    const { version } = (await as('GET', `/api/v1/programmes/${programmeId}`)).json();
    const response = await as('PATCH', `/api/v1/programmes/${programmeId}`, {
      version,
      status,
      ...(status === 'on_hold' ? { holdReason: 'funding' } : {}),
    });
    expect(response.statusCode).toBe(200);
  };

  beforeAll(async () => {
    t = await startTestApp();
    staff = await createStaff(t.dataSource);
    clock = controlClock(t, '2027-03-01T06:00:00Z'); // a Monday
    kenya = await createProgramme(t, staff.admin, { countryCode: 'KE' });
    ghana = await createProgramme(t, staff.admin, { countryCode: 'GH' });
    await createAssessment(t, staff.admin, ghana.id, 'draft');
    nigeria = await createProgramme(t, staff.admin, { countryCode: 'NG' });
    await setStatus(nigeria.id, 'on_hold');
    senegal = await createProgramme(t, staff.admin, { countryCode: 'SN' });
    await setStatus(senegal.id, 'cancelled');
    france = await createProgramme(t, staff.admin, { countryCode: 'FR' });
  });
  afterAll(() => t.close());

  let africa: string;

  it('should launch one draft per active programme of a region in one go, skipping the others and saying why', async () => {
    const before = await written();
    const launched = await client(t, staff.itu_pm)('POST', '/api/v1/assessment-campaigns', {
      title: 'AFR readiness 2027',
      ...TEMPLATE,
      regionCode: 'AFR',
      dueDate: '2027-06-30',
    });
    expect(launched.statusCode).toBe(201);
    const body = launched.json();
    africa = body.id;
    expect(body.created).toBe(1);
    expect(
      [...body.skipped].sort((a: { countryCode: string }, b: { countryCode: string }) =>
        a.countryCode.localeCompare(b.countryCode),
      ),
    ).toEqual([
      { countryCode: 'GH', programmeId: ghana.id, reason: 'open_assessment_exists' },
      { countryCode: 'NG', programmeId: nigeria.id, reason: 'programme_on_hold' },
      { countryCode: 'SN', programmeId: senegal.id, reason: 'programme_cancelled' },
    ]);

    const drafts = await t.dataSource.query(
      `SELECT programme_id AS "programmeId", status, template_version AS version FROM assessments WHERE campaign_id = $1`,
      [africa],
    );
    expect(drafts).toEqual([{ programmeId: kenya.id, status: 'draft', version: '1.0.0' }]);
    const after = await written();
    expect(after).toEqual({
      campaigns: before.campaigns + 1,
      assessments: before.assessments + 1,
      events: before.events + 1,
    });
    const [created] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM audit_events a JOIN assessments s ON s.id::text = a.entity_id
       WHERE a.action = 'assessment.created' AND s.campaign_id = $1 AND a.country_code = 'KE'`,
      [africa],
    );
    expect(created.n).toBe(1);
  });

  it('should create nothing when the same campaign is launched again (409), since every programme already has its draft', async () => {
    const before = await written();
    const again = await client(t, staff.itu_pm)('POST', '/api/v1/assessment-campaigns', {
      title: 'AFR readiness 2027',
      ...TEMPLATE,
      regionCode: 'AFR',
      dueDate: '2027-06-30',
    });
    expect(again.statusCode).toBe(409);
    expect(again.headers['content-type']).toContain('application/problem+json');
    expect(again.json().code).toBe('campaign_nothing_to_launch');
    expect(await written()).toEqual(before);
  });

  it('should show the progress overall and per region, and the laggards, as drafts are submitted and validated', async () => {
    const pm = client(t, staff.itu_pm);
    const progress = async () => (await pm('GET', `/api/v1/assessment-campaigns/${africa}`)).json();

    let campaign = await progress();
    expect(campaign).toMatchObject({
      title: 'AFR readiness 2027',
      templateKey: 'itu-ncirt-readiness',
      templateVersion: '1.0.0',
      regionCode: 'AFR',
      dueDate: '2027-06-30',
      status: 'open',
      progress: { draft: 1, submitted: 0, returned: 0, validated: 0, total: 1 },
      regions: [{ regionCode: 'AFR', draft: 1, submitted: 0, returned: 0, validated: 0, total: 1 }],
    });
    const [draft] = campaign.laggards;
    expect(campaign.laggards).toEqual([
      {
        assessmentId: draft.assessmentId,
        programmeId: kenya.id,
        programmeTitle: 'Sector 1 sector CIRT of Kenya',
        countryCode: 'KE',
        countryName: 'Kenya',
        regionCode: 'AFR',
        status: 'draft',
      },
    ]);

    await answerAll(draft.assessmentId, staff.admin);
    expect((await pm('POST', `/api/v1/assessments/${draft.assessmentId}/submit`)).statusCode).toBe(
      200,
    );
    campaign = await progress();
    expect(campaign.progress).toEqual({
      draft: 0,
      submitted: 1,
      returned: 0,
      validated: 0,
      total: 1,
    });
    expect(campaign.laggards).toEqual([]);

    expect(
      (await pm('POST', `/api/v1/assessments/${draft.assessmentId}/validate`)).statusCode,
    ).toBe(200);
    campaign = await progress();
    expect(campaign.progress).toEqual({
      draft: 0,
      submitted: 0,
      returned: 0,
      validated: 1,
      total: 1,
    });
    expect(campaign.regions).toEqual([
      { regionCode: 'AFR', draft: 0, submitted: 0, returned: 0, validated: 1, total: 1 },
    ]);

    const list = (await pm('GET', '/api/v1/assessment-campaigns')).json();
    expect(list.items.find((item: { id: string }) => item.id === africa)).toMatchObject({
      progress: { validated: 1, total: 1 },
    });
  });

  it('should let a coordinator launch in their own region only, and see only the campaigns that reach it', async () => {
    const coordinator = client(t, staff.regional_coordinator); // AFR
    const before = await written();
    for (const scope of [
      { regionCode: 'EUR' },
      { countryCodes: ['FR'] },
      { countryCodes: ['KE', 'FR'] },
    ]) {
      const refused = await coordinator('POST', '/api/v1/assessment-campaigns', {
        title: 'Elsewhere',
        ...TEMPLATE,
        ...scope,
        dueDate: '2027-06-30',
      });
      expect(refused.statusCode).toBe(403);
      expect(refused.json().code).toBe('campaign_outside_region');
    }
    expect(await written()).toEqual(before);

    const europe = await client(t, staff.itu_pm)('POST', '/api/v1/assessment-campaigns', {
      title: 'France readiness',
      ...TEMPLATE,
      countryCodes: ['FR'],
      dueDate: '2027-06-30',
    });
    expect(europe.statusCode).toBe(201);
    expect(
      await t.dataSource.query(
        `SELECT programme_id AS id FROM assessments WHERE campaign_id = $1`,
        [europe.json().id],
      ),
    ).toEqual([{ id: france.id }]);
    const ids = (await coordinator('GET', '/api/v1/assessment-campaigns'))
      .json()
      .items.map((item: { id: string }) => item.id);
    expect(ids).toContain(africa);
    expect(ids).not.toContain(europe.json().id);
    expect(
      (await coordinator('GET', `/api/v1/assessment-campaigns/${europe.json().id}`)).statusCode,
    ).toBe(404);
    expect(
      (await coordinator('POST', `/api/v1/assessment-campaigns/${europe.json().id}/close`))
        .statusCode,
    ).toBe(404);

    // Without a scope, a coordinator's campaign is their region's: Kenya has a validated one now.
    const own = await coordinator('POST', '/api/v1/assessment-campaigns', {
      title: 'AFR follow-up',
      ...TEMPLATE,
      dueDate: '2027-07-31',
    });
    expect(own.statusCode).toBe(201);
    expect(own.json().created).toBe(1);
    const [row] = await t.dataSource.query(
      `SELECT region_code AS "regionCode" FROM assessment_campaigns WHERE id = $1`,
      [own.json().id],
    );
    expect(row.regionCode).toBe('AFR');

    for (const user of [staff.national_team, staff.observer]) {
      expect((await client(t, user)('GET', '/api/v1/assessment-campaigns')).statusCode).toBe(403);
    }
  });

  it.each([
    [
      'an unknown template',
      { templateKey: 'no-such-template' },
      400,
      'templateKey',
      'template_not_published',
    ],
    [
      'an unknown version',
      { templateVersion: '9.9.9' },
      400,
      'templateKey',
      'template_not_published',
    ],
    ['a due date in the past', { dueDate: '2027-02-28' }, 400, 'dueDate', 'campaign_due_date_past'],
    [
      'a region and countries both',
      { countryCodes: ['KE'] },
      400,
      'countryCodes',
      'campaign_region_or_countries',
    ],
    ['an unknown region', { regionCode: 'XXX' }, 400, 'regionCode', 'is_in'],
    [
      'an unknown country',
      { regionCode: undefined, countryCodes: ['ZZ'] },
      400,
      'countryCodes',
      'campaign_countries_unknown',
    ],
    ['an empty title', { title: '   ' }, 400, 'title', 'length'],
    ['no matching programme', { regionCode: 'CIS' }, 422, undefined, 'campaign_no_programmes'],
    ['an unknown field', { launchNow: true }, 400, 'launchNow', 'unknown_field'],
  ])('should refuse %s and create nothing', async (_name, change, status, field, code) => {
    const before = await written();
    const refused = await client(t, staff.itu_pm)('POST', '/api/v1/assessment-campaigns', {
      title: 'Bad input',
      ...TEMPLATE,
      regionCode: 'AMS',
      dueDate: '2027-06-30',
      ...change,
    });
    expect(refused.statusCode).toBe(status);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    const problem = refused.json();
    if (field)
      expect(problem.errors).toEqual(
        expect.arrayContaining([expect.objectContaining({ field, code })]),
      );
    else expect(problem.code).toBe(code);
    expect(await written()).toEqual(before);
  });

  it('should take a due date of today, in UTC', async () => {
    await createProgramme(t, staff.admin, { countryCode: 'BR' });
    const today = localDate(clock.current, 'UTC');
    const launched = await client(t, staff.admin)('POST', '/api/v1/assessment-campaigns', {
      title: 'Americas today',
      ...TEMPLATE,
      regionCode: 'AMS',
      dueDate: today,
    });
    expect(launched.statusCode).toBe(201);
  });

  it('should close a campaign once: closing it again answers 409', async () => {
    const pm = client(t, staff.itu_pm);
    const closed = await pm('POST', `/api/v1/assessment-campaigns/${africa}/close`);
    expect(closed.statusCode).toBe(200);
    expect(closed.json()).toMatchObject({
      id: africa,
      status: 'closed',
      closedBy: staff.itu_pm.id,
    });
    const events = async () =>
      (
        await t.dataSource.query(
          `SELECT count(*)::int AS n FROM audit_events WHERE action = 'campaign.closed' AND entity_id = $1`,
          [africa],
        )
      )[0].n;
    expect(await events()).toBe(1);
    const again = await pm('POST', `/api/v1/assessment-campaigns/${africa}/close`);
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('campaign_closed');
    expect(await events()).toBe(1);
  });
});

describe('campaign reminders', () => {
  let t: TestApp;
  let staff: Staff;
  let clock: { current: Date };

  beforeAll(async () => {
    t = await startTestApp();
    staff = await createStaff(t.dataSource);
    clock = controlClock(t, '2027-03-01T06:00:00Z'); // a Monday
  });
  afterAll(() => t.close());

  it('should remind each step once, in each recipient’s language and hours, until the draft is submitted or the campaign closed', async () => {
    const pm = client(t, staff.itu_pm);
    const morocco = await createProgramme(t, staff.admin, { countryCode: 'MA' });
    const tunisia = await createProgramme(t, staff.admin, { countryCode: 'TN' });
    const algeria = await createProgramme(t, staff.admin, { countryCode: 'DZ' });
    const team = await createUser(t.dataSource, { role: 'national_team', countryCode: 'MA' });
    const coordinator = await createUser(t.dataSource, {
      role: 'regional_coordinator',
      regionCode: 'ARB',
    });
    await createUser(t.dataSource, { role: 'national_team', countryCode: 'EG' }); // not reminded
    await t.dataSource.query(`UPDATE users SET locale = 'fr' WHERE id = $1`, [team.id]);
    await t.dataSource.query(
      `UPDATE users SET locale = 'ar', timezone = 'Asia/Dubai' WHERE id = $1`,
      [coordinator.id],
    );
    const focalPoint = await pm('POST', '/api/v1/countries/MA/stakeholders', {
      name: 'Point focal',
      email: 'focal.ma@example.org',
      role: 'national_focal_point',
      locale: 'es',
    });
    expect(focalPoint.statusCode).toBe(201);
    for (const code of ['TN', 'DZ']) await createStakeholder(t, staff.admin, code);

    const launched = await pm('POST', '/api/v1/assessment-campaigns', {
      title: 'Arab States readiness',
      ...TEMPLATE,
      countryCodes: ['MA', 'TN'],
      dueDate: '2027-03-21',
    });
    expect(launched.statusCode).toBe(201);
    const other = await pm('POST', '/api/v1/assessment-campaigns', {
      title: 'Algeria, closed at once',
      ...TEMPLATE,
      countryCodes: ['DZ'],
      dueDate: '2027-03-21',
    });
    expect(
      (await pm('POST', `/api/v1/assessment-campaigns/${other.json().id}/close`)).statusCode,
    ).toBe(200);

    // Tunisia submits at once: its draft is no longer reminded.
    const [tunisiaDraft] = await t.dataSource.query(
      `SELECT id FROM assessments WHERE campaign_id = $1 AND programme_id = $2`,
      [launched.json().id, tunisia.id],
    );
    for (const key of READINESS_KEYS) {
      await t.dataSource.query(
        `INSERT INTO assessment_responses (assessment_id, indicator_key, level, evidence, updated_by)
         VALUES ($1, $2, 1, '[]', $3)`,
        [tunisiaDraft.id, key, staff.admin.id],
      );
    }
    expect((await pm('POST', `/api/v1/assessments/${tunisiaDraft.id}/submit`)).statusCode).toBe(
      200,
    );

    const scan = t.app.get(ReminderScan);
    const firstSeen = new Map<string, string>();
    const start = clock.current.getTime();
    for (let hour = 0; hour <= 40 * 24; hour += 3) {
      clock.current = new Date(start + hour * 3_600_000);
      const { written } = await scan.scan();
      if (written === 0) continue;
      const keys: { dedupeKey: string }[] = await t.dataSource.query(
        `SELECT dedupe_key AS "dedupeKey" FROM notifications WHERE kind LIKE 'reminder.campaign_%'`,
      );
      for (const { dedupeKey } of keys) {
        if (!firstSeen.has(dedupeKey))
          firstSeen.set(dedupeKey, localDate(clock.current, 'Africa/Casablanca'));
      }
    }

    const rows: {
      dedupeKey: string;
      locale: string;
      programmeId: string;
      recipient: string;
      notBefore: Date;
      bodyText: string;
    }[] = await t.dataSource.query(
      `SELECT dedupe_key AS "dedupeKey", locale, programme_id AS "programmeId", recipient,
                not_before AS "notBefore", body_text AS "bodyText"
         FROM notifications WHERE kind LIKE 'reminder.campaign_%'`,
    );
    expect(rows.every((row) => row.programmeId === morocco.id)).toBe(true);
    expect(rows.some((row) => [tunisia.id, algeria.id].includes(row.programmeId))).toBe(false);
    const ladder = rows.map((row) => {
      const [rule, , step] = row.dedupeKey.split(':');
      return `${rule} ${step} ${row.locale} ${firstSeen.get(row.dedupeKey)}`;
    });
    expect(ladder.sort()).toEqual(
      [
        'campaign_due_soon 14 fr 2027-03-07',
        'campaign_due_soon 14 es 2027-03-07',
        'campaign_due_soon 3 fr 2027-03-18',
        'campaign_due_soon 3 es 2027-03-18',
        'campaign_overdue 1 fr 2027-03-22',
        'campaign_overdue 1 es 2027-03-22',
        'campaign_overdue 7 fr 2027-03-28',
        'campaign_overdue 7 es 2027-03-28',
        'campaign_overdue 7 ar 2027-03-28',
      ].sort(),
    );
    const toCoordinator = rows.find((row) => row.recipient === coordinator.email)!;
    // Within working hours where the coordinator is: Dubai, Monday to Friday from 09:00.
    const dubai = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Asia/Dubai',
      weekday: 'short',
      hour: '2-digit',
      hourCycle: 'h23',
    }).formatToParts(new Date(toCoordinator.notBefore));
    expect(['Mon', 'Tue', 'Wed', 'Thu', 'Fri']).toContain(
      dubai.find((p) => p.type === 'weekday')!.value,
    );
    const hour = Number(dubai.find((p) => p.type === 'hour')!.value);
    expect(hour >= 9 && hour < 17).toBe(true);
    expect(toCoordinator.bodyText).toContain('Arab States readiness');
    expect(toCoordinator.bodyText).toContain('/app/assessments/');
  });
});
