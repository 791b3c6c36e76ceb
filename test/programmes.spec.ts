import { createProgramme, createStakeholder, firstMilestone } from './factories/programmes.js';
import { type Staff, createStaff } from './factories/users.js';
import { recordQueries } from './support/query-counter.js';
import { type TestApp, client, controlClock, startTestApp } from './support/test-app.js';

describe('programmes', () => {
  let t: TestApp;
  let staff: Staff;
  let clock: { current: Date };
  let admin: ReturnType<typeof client>;

  beforeAll(async () => {
    t = await startTestApp();
    clock = controlClock(t, '2026-11-22T10:00:00Z');
    staff = await createStaff(t.dataSource);
    admin = client(t, staff.admin);
  });
  afterAll(() => t.close());

  const rowCounts = async () =>
    (
      await t.dataSource.query(`SELECT
        (SELECT count(*)::int FROM programmes) AS programmes,
        (SELECT count(*)::int FROM milestones) AS milestones,
        (SELECT count(*)::int FROM status_updates) AS "statusUpdates",
        (SELECT count(*)::int FROM stakeholders) AS stakeholders,
        (SELECT count(*)::int FROM audit_events) AS audit`)
    )[0];

  it("should start a programme in readiness assessment with that phase's default plan, dated in the country", async () => {
    clock.current = new Date('2026-11-22T22:30:00Z'); // already 23 November in Nairobi
    const response = await admin('POST', '/api/v1/programmes', {
      countryCode: 'KE',
      cirtType: 'national',
    });
    expect(response.statusCode).toBe(201);
    const programme = response.json();
    expect(programme).toMatchObject({
      countryCode: 'KE',
      regionCode: 'AFR',
      cirtType: 'national',
      sector: null,
      title: 'National CIRT of Kenya',
      phase: 'readiness_assessment',
      status: 'active',
      daysInPhase: 0,
      health: null,
      readinessScore: null,
      milestonesDone: 0,
      milestonesTotal: 5,
      overdueMilestones: 0,
      startDate: '2026-11-23',
      version: 1,
      pendingTransition: null,
      latestStatusUpdate: null,
      latestAssessments: [],
    });
    const milestones = (await admin('GET', `/api/v1/programmes/${programme.id}/milestones`)).json();
    expect(
      milestones.items.map((m: { title: string; dueDate: string }) => [m.dueDate, m.title]),
    ).toEqual([
      ['2026-12-07', 'Focal point and host institution confirmed'],
      ['2026-12-23', 'Readiness questionnaire completed'],
      ['2027-01-22', 'Assessment mission or workshop held'],
      ['2027-02-21', 'Assessment report delivered to the host'],
      ['2027-03-23', 'Decision to proceed recorded'],
    ]);
    const [event] = await t.dataSource.query(
      `SELECT action, country_code FROM audit_events WHERE entity_id = $1`,
      [programme.id],
    );
    expect(event).toEqual({ action: 'programme.created', country_code: 'KE' });
  });

  it('should refuse a second active programme of the same kind with 409 and write nothing', async () => {
    await createProgramme(t, staff.admin, { countryCode: 'UG', cirtType: 'government' });
    const before = await rowCounts();
    const response = await admin('POST', '/api/v1/programmes', {
      countryCode: 'UG',
      cirtType: 'government',
    });
    expect(response.statusCode).toBe(409);
    expect(response.json().code).toBe('programme_exists');
    expect(await rowCounts()).toEqual(before);
    // Another sector of the same country is another programme.
    await createProgramme(t, staff.admin, { countryCode: 'UG', sector: 'energy' });
    expect(
      (
        await admin('POST', '/api/v1/programmes', {
          countryCode: 'UG',
          cirtType: 'sectoral',
          sector: 'Energy',
        })
      ).statusCode,
    ).toBe(409);
  });

  describe('the list', () => {
    let ids: Record<string, string>;

    beforeAll(async () => {
      clock.current = new Date('2026-11-22T10:00:00Z');
      ids = {
        gh: (await createProgramme(t, staff.admin, { countryCode: 'GH', cirtType: 'national' })).id,
        fr: (await createProgramme(t, staff.admin, { countryCode: 'FR', cirtType: 'national' })).id,
        br: (await createProgramme(t, staff.admin, { countryCode: 'BR', cirtType: 'national' })).id,
      };
      await admin('POST', `/api/v1/programmes/${ids.fr}/status-updates`, {
        health: 'at_risk',
        summary: 'Late',
      });
      await admin('POST', `/api/v1/programmes/${ids.fr}/status-updates`, {
        health: 'off_track',
        summary: 'Later',
      });
      const milestone = await firstMilestone(t, staff.admin, ids.gh);
      await admin('PATCH', `/api/v1/milestones/${milestone.id}`, {
        version: milestone.version,
        status: 'done',
      });
      clock.current = new Date('2027-01-01T10:00:00Z'); // 40 days on: two milestones are overdue
    });

    it('should compute counts, overdue milestones, health and days in phase', async () => {
      const page = (await admin('GET', '/api/v1/programmes?country=GH')).json();
      expect(page.total).toBe(1);
      expect(page.items[0]).toMatchObject({
        id: ids.gh,
        milestonesDone: 1,
        milestonesTotal: 5,
        overdueMilestones: 1,
        daysInPhase: 40,
        health: null,
      });
      const france = (await admin('GET', '/api/v1/programmes?country=FR')).json().items[0];
      expect(france).toMatchObject({ health: 'off_track', overdueMilestones: 2 });
    });

    it('should filter by region, phase, status, health and text, and sort both ways', async () => {
      const codes = async (query: string) =>
        (await admin('GET', `/api/v1/programmes?${query}`))
          .json()
          .items.map((p: { countryCode: string }) => p.countryCode);
      expect(await codes('region=AMS')).toEqual(['BR']);
      expect(await codes('health=off_track')).toEqual(['FR']);
      expect(await codes('q=ghan')).toEqual(['GH']);
      expect(await codes('q=fr')).toEqual(['FR']);
      expect(await codes('status=cancelled')).toEqual([]);
      expect(await codes('phase=planning')).toEqual([]);
      const names = new Map<string, string>(
        (await admin('GET', '/api/v1/countries'))
          .json()
          .map((c: { code: string; name: string }) => [c.code, c.name]),
      );
      const byCountry = await codes('sort=country&pageSize=200');
      const byName = [...byCountry].sort((a, b) =>
        names.get(a)! < names.get(b)! ? -1 : names.get(a)! > names.get(b)! ? 1 : 0,
      );
      expect(byCountry).toEqual(byName);
      expect(byCountry.length).toBeGreaterThan(3);
      expect(await codes('sort=-country&pageSize=200')).toEqual([...byCountry].reverse());
      const days = (await admin('GET', '/api/v1/programmes?sort=-daysInPhase&pageSize=200'))
        .json()
        .items.map((p: { daysInPhase: number }) => p.daysInPhase);
      expect(days).toEqual([...days].sort((a, b) => b - a));
    });

    it('should page with a total, also past the last page', async () => {
      const all = (await admin('GET', '/api/v1/programmes?pageSize=200')).json();
      const second = (await admin('GET', '/api/v1/programmes?pageSize=2&page=2')).json();
      expect(second).toMatchObject({ total: all.total, page: 2, pageSize: 2 });
      expect(second.items.map((p: { id: string }) => p.id)).toEqual(
        all.items.slice(2, 4).map((p: { id: string }) => p.id),
      );
      const beyond = (await admin('GET', '/api/v1/programmes?page=999')).json();
      expect(beyond).toMatchObject({ items: [], total: all.total });
    });

    it("should show a national team only its country's programmes and a coordinator only the region's", async () => {
      const team = (
        await client(t, staff.national_team)('GET', '/api/v1/programmes?pageSize=200')
      ).json();
      expect(new Set(team.items.map((p: { countryCode: string }) => p.countryCode))).toEqual(
        new Set(['KE']),
      );
      const coordinator = (
        await client(t, staff.regional_coordinator)('GET', '/api/v1/programmes?pageSize=200')
      ).json();
      expect(new Set(coordinator.items.map((p: { regionCode: string }) => p.regionCode))).toEqual(
        new Set(['AFR']),
      );
      expect(coordinator.total).toBe(coordinator.items.length);
      const outside = await client(t, staff.national_team)('GET', '/api/v1/programmes?country=FR');
      expect(outside.json()).toMatchObject({ items: [], total: 0 });
    });

    it('should answer with one query whatever the page size', async () => {
      const recorder = recordQueries(t.dataSource);
      for (const pageSize of [1, 50, 200]) {
        recorder.reset();
        const response = await admin(
          'GET',
          `/api/v1/programmes?pageSize=${pageSize}&sort=-daysInPhase`,
        );
        expect(response.statusCode).toBe(200);
        const listQueries = recorder.queries.filter((sql) => /\bprogrammes\b/.test(sql));
        expect(listQueries).toHaveLength(1);
        // the other one reads the signed-in user
        expect(recorder.queries).toHaveLength(2);
      }
    });

    it('should show observers the health but not the text of the latest status update', async () => {
      const seen = (await client(t, staff.observer)('GET', `/api/v1/programmes/${ids.fr}`)).json();
      expect(seen.latestStatusUpdate).toEqual({
        health: 'off_track',
        createdAt: expect.any(String),
      });
      const full = (await admin('GET', `/api/v1/programmes/${ids.fr}`)).json();
      expect(full.latestStatusUpdate).toMatchObject({ health: 'off_track', summary: 'Later' });
    });

    it.each([
      ['an unknown sort', 'sort=name'],
      ['an unknown region', 'region=XX'],
      ['a lower-case country', 'country=ke'],
      ['an unknown health', 'health=fine'],
      ['a page size over 200', 'pageSize=201'],
      ['a page of zero', 'page=0'],
      ['a text page', 'page=two'],
      ['an unknown parameter', 'colour=blue'],
      ['an overlong search', `q=${'x'.repeat(101)}`],
    ])('should answer 400 to %s', async (_case, query) => {
      const response = await admin('GET', `/api/v1/programmes?${query}`);
      expect(response.statusCode).toBe(400);
      expect(response.headers['content-type']).toMatch(/problem\+json/);
    });
  });

  describe('optimistic locking', () => {
    it('should let exactly one of two concurrent updates with the same version through, with one audit event', async () => {
      const programme = await createProgramme(t, staff.admin, { countryCode: 'TZ' });
      const milestone = await firstMilestone(t, staff.admin, programme.id);
      const team = client(t, staff.admin);
      const answers = await Promise.all([
        team('PATCH', `/api/v1/milestones/${milestone.id}`, {
          version: milestone.version,
          title: 'First',
        }),
        team('PATCH', `/api/v1/milestones/${milestone.id}`, {
          version: milestone.version,
          title: 'Second',
        }),
      ]);
      expect(answers.map((answer) => answer.statusCode).sort()).toEqual([200, 409]);
      const winner = answers.find((answer) => answer.statusCode === 200)!.json();
      expect(winner.version).toBe(milestone.version + 1);
      const loser = answers.find((answer) => answer.statusCode === 409)!.json();
      expect(loser.code).toBe('version_conflict');
      const events = await t.dataSource.query(
        `SELECT after FROM audit_events WHERE entity_id = $1 AND action = 'milestone.updated'`,
        [milestone.id],
      );
      expect(events).toHaveLength(1);
      expect(events[0].after.title).toBe(winner.title);
    });

    it('should keep every milestone write of 12 concurrent writers with the same version but one, audited once', async () => {
      const programme = await createProgramme(t, staff.admin, { countryCode: 'BI' });
      const milestone = await firstMilestone(t, staff.admin, programme.id);
      const answers = await Promise.all(
        Array.from({ length: 12 }, (_, writer) =>
          admin('PATCH', `/api/v1/milestones/${milestone.id}`, {
            version: milestone.version,
            title: `Writer ${writer}`,
          }),
        ),
      );
      const statuses = answers.map((answer) => answer.statusCode);
      expect(statuses.filter((status) => status === 200)).toHaveLength(1);
      expect(statuses.filter((status) => status === 409)).toHaveLength(11);
      const winner = answers.find((answer) => answer.statusCode === 200)!.json();
      const [stored] = await t.dataSource.query(
        `SELECT title, version FROM milestones WHERE id = $1`,
        [milestone.id],
      );
      expect(stored).toEqual({ title: winner.title, version: milestone.version + 1 });
      const events = await t.dataSource.query(
        `SELECT after FROM audit_events WHERE entity_id = $1 AND action = 'milestone.updated'`,
        [milestone.id],
      );
      expect(events.map((event: { after: { title: string } }) => event.after.title)).toEqual([
        winner.title,
      ]);
    });

    it('should write a milestone and its audit event in one statement, without a transaction of its own', async () => {
      const programme = await createProgramme(t, staff.admin, { countryCode: 'DJ' });
      const milestone = await firstMilestone(t, staff.admin, programme.id);
      const recorder = recordQueries(t.dataSource);
      recorder.reset();
      const response = await admin('PATCH', `/api/v1/milestones/${milestone.id}`, {
        version: milestone.version,
        status: 'in_progress',
      });
      expect(response.statusCode).toBe(200);
      // the signed-in user, the milestone, its programme's scope, then the write
      expect(recorder.queries).toHaveLength(4);
      expect(recorder.queries.filter((sql) => /^\s*(START TRANSACTION|BEGIN)/i.test(sql))).toEqual(
        [],
      );
      const [event] = await t.dataSource.query(
        `SELECT before ->> 'status' AS before, after ->> 'status' AS after, (after ->> 'version')::int AS version
         FROM audit_events WHERE entity_id = $1 AND action = 'milestone.updated'`,
        [milestone.id],
      );
      expect(event).toEqual({
        before: 'planned',
        after: 'in_progress',
        version: milestone.version + 1,
      });
    });

    it('should answer a stale programme version with 409 and change nothing', async () => {
      const programme = await createProgramme(t, staff.admin, { countryCode: 'RW' });
      expect(
        (
          await admin('PATCH', `/api/v1/programmes/${programme.id}`, {
            version: 1,
            title: 'New title',
          })
        ).statusCode,
      ).toBe(200);
      const before = await rowCounts();
      const stale = await admin('PATCH', `/api/v1/programmes/${programme.id}`, {
        version: 1,
        title: 'Stale title',
      });
      expect(stale.statusCode).toBe(409);
      expect(await rowCounts()).toEqual(before);
      expect((await admin('GET', `/api/v1/programmes/${programme.id}`)).json()).toMatchObject({
        title: 'New title',
        version: 2,
      });
    });

    it("should count a status update as a change to its programme: the health's write makes the version read before stale", async () => {
      const programme = await createProgramme(t, staff.admin, { countryCode: 'ET' });
      const read = (await admin('GET', `/api/v1/programmes/${programme.id}`)).json();
      expect(read).toMatchObject({ health: null, version: 1 });
      const posted = await admin('POST', `/api/v1/programmes/${programme.id}/status-updates`, {
        health: 'at_risk',
        summary: 'Funding delayed',
      });
      expect(posted.statusCode).toBe(201);
      const changed = (await admin('GET', `/api/v1/programmes/${programme.id}`)).json();
      expect(changed).toMatchObject({ health: 'at_risk', version: 2 });

      const before = await rowCounts();
      const stale = await admin('PATCH', `/api/v1/programmes/${programme.id}`, {
        version: read.version,
        status: 'on_hold',
        holdReason: 'funding',
      });
      expect(stale.statusCode).toBe(409);
      expect(stale.json().code).toBe('version_conflict');
      expect(await rowCounts()).toEqual(before);
      expect((await admin('GET', `/api/v1/programmes/${programme.id}`)).json()).toMatchObject({
        status: 'active',
        health: 'at_risk',
        version: 2,
      });

      const current = await admin('PATCH', `/api/v1/programmes/${programme.id}`, {
        version: changed.version,
        status: 'on_hold',
        holdReason: 'funding',
      });
      expect(current.statusCode).toBe(200);
      expect(current.json()).toMatchObject({ status: 'on_hold', health: 'at_risk', version: 3 });
    });
  });

  describe('milestones', () => {
    it('should set completedAt on done, clear it when reopened, and filter overdue ones', async () => {
      clock.current = new Date('2026-11-22T10:00:00Z');
      const programme = await createProgramme(t, staff.admin, { countryCode: 'ZM' });
      const milestone = await firstMilestone(t, staff.admin, programme.id);
      const done = (
        await admin('PATCH', `/api/v1/milestones/${milestone.id}`, { version: 1, status: 'done' })
      ).json();
      expect(done).toMatchObject({
        status: 'done',
        completedAt: clock.current.toISOString(),
        version: 2,
      });
      const reopened = (
        await admin('PATCH', `/api/v1/milestones/${milestone.id}`, {
          version: 2,
          status: 'blocked',
        })
      ).json();
      expect(reopened).toMatchObject({ status: 'blocked', completedAt: null });

      clock.current = new Date('2027-01-10T10:00:00Z');
      const overdue = (
        await admin('GET', `/api/v1/programmes/${programme.id}/milestones?overdue=true`)
      ).json();
      expect(
        overdue.items.map((m: { dueDate: string; overdue: boolean }) => [m.dueDate, m.overdue]),
      ).toEqual([
        ['2026-12-06', true],
        ['2026-12-22', true],
      ]);
      const planned = (
        await admin(
          'GET',
          `/api/v1/programmes/${programme.id}/milestones?status=planned&phase=readiness_assessment`,
        )
      ).json();
      expect(planned.total).toBe(4);
    });

    it('should take an owner only among the stakeholders of the same country', async () => {
      const programme = await createProgramme(t, staff.admin, { countryCode: 'MW' });
      const local = await createStakeholder(t, staff.admin, 'MW');
      const foreign = await createStakeholder(t, staff.admin, 'FR');
      const url = `/api/v1/programmes/${programme.id}/milestones`;
      const base = { phase: 'readiness_assessment', title: 'Owned', dueDate: '2027-02-01' };
      expect((await admin('POST', url, { ...base, ownerStakeholderId: local.id })).statusCode).toBe(
        201,
      );
      const before = await rowCounts();
      const refused = await admin('POST', url, { ...base, ownerStakeholderId: foreign.id });
      expect(refused.statusCode).toBe(400);
      expect(refused.json().errors).toEqual([
        {
          field: 'ownerStakeholderId',
          code: 'not_a_stakeholder_of',
          message: 'ownerStakeholderId must be a stakeholder of MW',
        },
      ]);
      const milestone = await firstMilestone(t, staff.admin, programme.id);
      const patch = await admin('PATCH', `/api/v1/milestones/${milestone.id}`, {
        version: milestone.version,
        ownerStakeholderId: foreign.id,
      });
      expect(patch.statusCode).toBe(400);
      expect(await rowCounts()).toEqual(before);
    });
  });

  describe('bad input', () => {
    let programmeId: string;
    let milestone: { id: string; version: number };
    let stakeholderId: string;

    beforeAll(async () => {
      programmeId = (await createProgramme(t, staff.admin, { countryCode: 'NA' })).id;
      milestone = await firstMilestone(t, staff.admin, programmeId);
      stakeholderId = (await createStakeholder(t, staff.admin, 'NA')).id;
    });

    const cases: [string, () => [string, string, object]][] = [
      [
        'programme: unknown field',
        () => [
          'POST',
          '/api/v1/programmes',
          { countryCode: 'NA', cirtType: 'national', budget: 1 },
        ],
      ],
      [
        'programme: unknown cirtType',
        () => ['POST', '/api/v1/programmes', { countryCode: 'NA', cirtType: 'regional' }],
      ],
      [
        'programme: untracked country',
        () => ['POST', '/api/v1/programmes', { countryCode: 'ZZ', cirtType: 'national' }],
      ],
      [
        'programme: sector on a national CIRT',
        () => [
          'POST',
          '/api/v1/programmes',
          { countryCode: 'NA', cirtType: 'national', sector: 'x' },
        ],
      ],
      [
        'programme: sectoral without sector',
        () => ['POST', '/api/v1/programmes', { countryCode: 'NA', cirtType: 'sectoral' }],
      ],
      [
        'programme: impossible date',
        () => [
          'POST',
          '/api/v1/programmes',
          { countryCode: 'NA', cirtType: 'national', startDate: '2026-02-30' },
        ],
      ],
      [
        'programme: target before start',
        () => [
          'POST',
          '/api/v1/programmes',
          {
            countryCode: 'NA',
            cirtType: 'national',
            startDate: '2027-01-01',
            targetDate: '2026-01-01',
          },
        ],
      ],
      [
        'programme: overlong title',
        () => [
          'POST',
          '/api/v1/programmes',
          { countryCode: 'NA', cirtType: 'national', title: 'x'.repeat(201) },
        ],
      ],
      [
        'programme patch: no version',
        () => ['PATCH', `/api/v1/programmes/${programmeId}`, { title: 'x' }],
      ],
      [
        'programme patch: on hold without reason',
        () => ['PATCH', `/api/v1/programmes/${programmeId}`, { version: 1, status: 'on_hold' }],
      ],
      [
        'programme patch: reason without hold',
        () => ['PATCH', `/api/v1/programmes/${programmeId}`, { version: 1, holdReason: 'funding' }],
      ],
      [
        'programme patch: null title',
        () => ['PATCH', `/api/v1/programmes/${programmeId}`, { version: 1, title: null }],
      ],
      [
        'programme patch: unknown status',
        () => ['PATCH', `/api/v1/programmes/${programmeId}`, { version: 1, status: 'paused' }],
      ],
      [
        'milestone: unknown phase',
        () => [
          'POST',
          `/api/v1/programmes/${programmeId}/milestones`,
          { phase: 'design', title: 'x', dueDate: '2027-01-01' },
        ],
      ],
      [
        'milestone: impossible date',
        () => [
          'POST',
          `/api/v1/programmes/${programmeId}/milestones`,
          { phase: 'planning', title: 'x', dueDate: '2026-02-30' },
        ],
      ],
      [
        'milestone: date with a time',
        () => [
          'POST',
          `/api/v1/programmes/${programmeId}/milestones`,
          { phase: 'planning', title: 'x', dueDate: '2027-01-01T00:00:00Z' },
        ],
      ],
      [
        'milestone: empty title',
        () => [
          'POST',
          `/api/v1/programmes/${programmeId}/milestones`,
          { phase: 'planning', title: '  ', dueDate: '2027-01-01' },
        ],
      ],
      [
        'milestone: owner not a UUID',
        () => [
          'POST',
          `/api/v1/programmes/${programmeId}/milestones`,
          { phase: 'planning', title: 'x', dueDate: '2027-01-01', ownerStakeholderId: 'bob' },
        ],
      ],
      [
        'milestone patch: unknown status',
        () => [
          'PATCH',
          `/api/v1/milestones/${milestone.id}`,
          { version: milestone.version, status: 'finished' },
        ],
      ],
      [
        'milestone patch: unknown field',
        () => [
          'PATCH',
          `/api/v1/milestones/${milestone.id}`,
          { version: milestone.version, phase: 'planning' },
        ],
      ],
      [
        'milestone patch: version as text',
        () => ['PATCH', `/api/v1/milestones/${milestone.id}`, { version: 'latest', title: 'x' }],
      ],
      [
        'status update: unknown health',
        () => [
          'POST',
          `/api/v1/programmes/${programmeId}/status-updates`,
          { health: 'great', summary: 'x' },
        ],
      ],
      [
        'status update: overlong summary',
        () => [
          'POST',
          `/api/v1/programmes/${programmeId}/status-updates`,
          { health: 'on_track', summary: 'x'.repeat(4001) },
        ],
      ],
      [
        'status update: missing summary',
        () => ['POST', `/api/v1/programmes/${programmeId}/status-updates`, { health: 'on_track' }],
      ],
      [
        'stakeholder: malformed e-mail',
        () => [
          'POST',
          '/api/v1/countries/NA/stakeholders',
          { name: 'x', email: 'x@', role: 'donor' },
        ],
      ],
      [
        'stakeholder: unknown role',
        () => [
          'POST',
          '/api/v1/countries/NA/stakeholders',
          { name: 'x', email: 'x@example.org', role: 'boss' },
        ],
      ],
      [
        'stakeholder: unknown locale',
        () => [
          'POST',
          '/api/v1/countries/NA/stakeholders',
          { name: 'x', email: 'x@example.org', role: 'donor', locale: 'de' },
        ],
      ],
      [
        'stakeholder: unknown time zone',
        () => [
          'POST',
          '/api/v1/countries/NA/stakeholders',
          { name: 'x', email: 'x@example.org', role: 'donor', timezone: 'Mars/Olympus' },
        ],
      ],
      [
        'stakeholder: ftp webhook',
        () => [
          'POST',
          '/api/v1/countries/NA/stakeholders',
          {
            name: 'x',
            email: 'x@example.org',
            role: 'donor',
            webhookUrl: 'ftp://example.org/hook',
          },
        ],
      ],
      [
        'stakeholder: webhook that is no URL',
        () => [
          'POST',
          '/api/v1/countries/NA/stakeholders',
          { name: 'x', email: 'x@example.org', role: 'donor', webhookUrl: 'hooks here' },
        ],
      ],
      [
        'stakeholder patch: null name',
        () => ['PATCH', `/api/v1/stakeholders/${stakeholderId}`, { name: null }],
      ],
      [
        'stakeholder patch: notify as text',
        () => ['PATCH', `/api/v1/stakeholders/${stakeholderId}`, { notify: 'yes' }],
      ],
    ];

    it.each(cases)('should answer 400 problem+json and write nothing: %s', async (_case, build) => {
      const [method, url, body] = build();
      const before = await rowCounts();
      const response = await admin(method as 'POST', url, body);
      expect(response.statusCode).toBe(400);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.json().errors?.length).toBeGreaterThan(0);
      expect(await rowCounts()).toEqual(before);
    });

    it('should refuse writes to a cancelled programme with 422', async () => {
      const programme = await createProgramme(t, staff.admin, { countryCode: 'BW' });
      expect(
        (
          await admin('PATCH', `/api/v1/programmes/${programme.id}`, {
            version: 1,
            status: 'cancelled',
          })
        ).statusCode,
      ).toBe(200);
      const before = await rowCounts();
      const answers = await Promise.all([
        admin('PATCH', `/api/v1/programmes/${programme.id}`, { version: 2, status: 'active' }),
        admin('POST', `/api/v1/programmes/${programme.id}/status-updates`, {
          health: 'on_track',
          summary: 'x',
        }),
        admin('POST', `/api/v1/programmes/${programme.id}/milestones`, {
          phase: 'planning',
          title: 'x',
          dueDate: '2027-01-01',
        }),
      ]);
      expect(answers.map((answer) => [answer.statusCode, answer.json().code])).toEqual([
        [422, 'programme_cancelled'],
        [422, 'programme_cancelled'],
        [422, 'programme_cancelled'],
      ]);
      expect(await rowCounts()).toEqual(before);
    });
  });

  describe('stakeholders', () => {
    it('should keep optional fields, clear them with null, and refuse a duplicate e-mail in a role', async () => {
      const created = await admin('POST', '/api/v1/countries/SN/stakeholders', {
        name: ' Awa Diop ',
        email: 'Awa@Example.org',
        role: 'national_focal_point',
        organisation: 'ARTP',
        locale: 'fr',
        timezone: 'Africa/Dakar',
        webhookUrl: 'https://hooks.example.org/cirt',
      });
      expect(created.statusCode).toBe(201);
      expect(created.json()).toMatchObject({
        name: 'Awa Diop',
        email: 'awa@example.org',
        locale: 'fr',
        notify: true,
      });
      const cleared = await admin('PATCH', `/api/v1/stakeholders/${created.json().id}`, {
        webhookUrl: null,
        timezone: null,
      });
      expect(cleared.json()).toMatchObject({
        webhookUrl: null,
        timezone: null,
        organisation: 'ARTP',
      });
      const duplicate = await admin('POST', '/api/v1/countries/SN/stakeholders', {
        name: 'Again',
        email: 'awa@example.org',
        role: 'national_focal_point',
      });
      expect(duplicate.statusCode).toBe(409);

      expect((await admin('DELETE', `/api/v1/stakeholders/${created.json().id}`)).statusCode).toBe(
        204,
      );
      const listed = (await admin('GET', '/api/v1/countries/SN/stakeholders')).json();
      expect(listed.map((s: { id: string }) => s.id)).not.toContain(created.json().id);
      expect(
        (await admin('PATCH', `/api/v1/stakeholders/${created.json().id}`, { name: 'Back' }))
          .statusCode,
      ).toBe(404);
    });
  });

  describe('the audit trail', () => {
    it('should filter by entity and show each user only the events in their scope', async () => {
      const programme = await createProgramme(t, staff.admin, { countryCode: 'KE' });
      const events = (
        await admin('GET', `/api/v1/audit?entityType=programme&entityId=${programme.id}`)
      ).json();
      expect(events.items).toHaveLength(1);
      expect(events.items[0]).toMatchObject({
        action: 'programme.created',
        actorId: staff.admin.id,
        countryCode: 'KE',
      });

      const team = (
        await client(t, staff.national_team)('GET', '/api/v1/audit?pageSize=200')
      ).json();
      expect(team.total).toBeGreaterThan(0);
      expect(new Set(team.items.map((e: { countryCode: string }) => e.countryCode))).toEqual(
        new Set(['KE']),
      );
      const coordinator = (
        await client(t, staff.regional_coordinator)('GET', '/api/v1/audit?countryCode=FR')
      ).json();
      expect(coordinator).toMatchObject({ items: [], total: 0 });
      expect((await admin('GET', '/api/v1/audit?from=yesterday')).statusCode).toBe(400);
      expect(
        (
          await admin('GET', `/api/v1/audit?to=${encodeURIComponent(new Date(0).toISOString())}`)
        ).json().total,
      ).toBe(0);
    });

    it.each([
      '-2026-01-01',
      '+2026-01-01',
      '2026',
      '2026-01',
      '2026-W01',
      '2026-01-01T10:00:00,5Z',
    ])(
      'should answer 400 to a period from %s, ISO 8601 that PostgreSQL does not read',
      async (from) => {
        for (const parameter of ['from', 'to']) {
          const response = await admin(
            'GET',
            `/api/v1/audit?${parameter}=${encodeURIComponent(from)}`,
          );
          expect(response.statusCode).toBe(400);
        }
      },
    );

    it('should read a period given as a date, or to the minute with an offset', async () => {
      for (const query of [
        'from=2026-01-01',
        'from=2026-01-01T10:00%2B05:30&to=2026-12-31T23:59Z',
      ]) {
        expect((await admin('GET', `/api/v1/audit?${query}`)).statusCode).toBe(200);
      }
    });
  });
});
