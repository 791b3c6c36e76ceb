import { type PhaseHistory, insertPhaseHistory } from './factories/phase-history.js';
import { type Staff, createStaff, createUser } from './factories/users.js';
import { type TestApp, client, controlClock, startTestApp } from './support/test-app.js';

const NOW = '2026-07-15T12:00:00Z';
/**
 * A portfolio whose phase history is known to the day, written as the transitions service writes
 * it: each phase left is an approved transition dated when it was left, with the time it was
 * entered. The figures the tests expect are worked out by hand from these durations.
 */
const PORTFOLIO: PhaseHistory[] = [
  // Africa: five left readiness, so its own readiness median (100) is used for projections.
  { country: 'KE', left: [100, 50, 200], current: 30, updatedDaysAgo: 3 },
  { country: 'GH', left: [120, 70], current: 40, updatedDaysAgo: 3 },
  { country: 'SN', left: [80], current: 45 },
  { country: 'TZ', left: [90], current: 10, updatedDaysAgo: 3 },
  { country: 'RW', left: [110], current: 20, updatedDaysAgo: 3 },
  { country: 'NG', left: [], current: 60 },
  { country: 'UG', left: [10], current: 5, status: 'cancelled' },
  // Europe: fewer than five of each phase, so the global medians are used.
  { country: 'FR', left: [300, 100, 250], current: 400, updatedDaysAgo: 3 },
  { country: 'DE', left: [250], current: 30, updatedDaysAgo: 3 },
  { country: 'IT', left: [260, 80], current: 15, updatedDaysAgo: 3 },
  { country: 'PL', left: [20, 10], current: 5, backTo: 'readiness_assessment', updatedDaysAgo: 3 },
];

describe('lifecycle KPIs and the projected operation date', () => {
  let t: TestApp;
  let staff: Staff;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestApp();
    staff = await createStaff(t.dataSource);
    controlClock(t, NOW);
    for (const history of PORTFOLIO) {
      ids[history.country] = await insertPhaseHistory(t.dataSource, staff.admin.id, NOW, history);
    }
    // Milestones of Kenya: two done on time, one late; late ones 10, 45 and 95 days overdue.
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
    // A cancelled programme's late milestone is no one's concern any more.
    await milestone(ids.UG, '2026-01-01', 'planned', null);
  }, 60_000);
  afterAll(() => t.close());

  const kpis = async (user: { id: string }, query = '') => {
    const response = await client(t, user)('GET', `/api/v1/portfolio/kpis${query}`);
    expect(response.statusCode).toBe(200);
    return response.json();
  };

  it('counts the portfolio and takes each median over the phases left, cancelled programmes aside', async () => {
    const body = await kpis(staff.itu_pm);
    expect(body).toMatchObject({
      period: { from: null, to: null },
      programmes: 10,
      byPhase: {
        readiness_assessment: 2,
        planning: 4,
        implementation: 2,
        operation: 2,
        maintenance: 0,
      },
      established: 2,
      // Kenya took 100 + 50 + 200 days, France 300 + 100 + 250.
      medianDaysToOperation: 500,
      // Readiness left nine times: 20 80 90 100 110 120 250 260 300; planning 10 50 70 80 100.
      phaseMedianDays: { readiness_assessment: 110, planning: 70, implementation: 225 },
      counted: {
        daysToOperation: 2,
        phases: { readiness_assessment: 9, planning: 5, implementation: 2 },
      },
      // Done on time: 9 March (due 10 March) and 10 May (due 10 May); 11 May was late.
      milestoneOnTimeRate: 0.667,
      milestonesDone: 3,
      // Senegal and Nigeria have no status update in 30 days; the others wrote 3 days ago.
      staleUpdates: 2,
      overdueMilestonesByAge: { '1-30': 1, '31-90': 1, '91+': 1 },
    });
    expect(body.byRegion).toEqual([
      {
        regionCode: 'AFR',
        programmes: 6,
        established: 1,
        medianDaysToOperation: 350,
        phaseMedianDays: { readiness_assessment: 100, planning: 60, implementation: 200 },
        counted: {
          daysToOperation: 1,
          phases: { readiness_assessment: 5, planning: 2, implementation: 1 },
        },
      },
      {
        regionCode: 'EUR',
        programmes: 4,
        established: 1,
        medianDaysToOperation: 650,
        phaseMedianDays: { readiness_assessment: 255, planning: 80, implementation: 250 },
        counted: {
          daysToOperation: 1,
          phases: { readiness_assessment: 4, planning: 3, implementation: 1 },
        },
      },
    ]);
  });

  it('counts the phase changes of each quarter, forward and back, every quarter in between', async () => {
    const { transitionsByQuarter } = await kpis(staff.admin);
    // Tanzania left readiness on 5 July and Poland moved back on 10 July.
    expect(transitionsByQuarter.at(-1)).toEqual({ quarter: '2026-Q3', forward: 1, backward: 1 });
    // France left readiness on 25 June 2024: ten quarters to 2026-Q3, the empty ones as zero.
    expect(transitionsByQuarter[0]).toEqual({ quarter: '2024-Q2', forward: 1, backward: 0 });
    expect(transitionsByQuarter).toHaveLength(10);
    expect(transitionsByQuarter[1]).toEqual({ quarter: '2024-Q3', forward: 0, backward: 0 });
    const totals = transitionsByQuarter.reduce(
      (sum: { forward: number; backward: number }, row: { forward: number; backward: number }) => ({
        forward: sum.forward + row.forward,
        backward: sum.backward + row.backward,
      }),
      { forward: 0, backward: 0 },
    );
    // 3 + 2 + 1 + 1 + 1 (Africa) + 3 + 1 + 2 + 1 (Europe); Uganda's is cancelled.
    expect(totals).toEqual({ forward: 15, backward: 1 });
  });

  it('limits the figures over time to the period', async () => {
    // 2026-04-01 to 2026-06-30: Kenya entered operation on 15 June, France in 2025.
    const body = await kpis(staff.admin, '?from=2026-04-01&to=2026-06-30');
    expect(body.period).toEqual({ from: '2026-04-01', to: '2026-06-30' });
    expect(body.medianDaysToOperation).toBe(350);
    expect(body.counted.daysToOperation).toBe(1);
    // The portfolio now does not depend on the period.
    expect(body.programmes).toBe(10);
    expect(body.milestoneOnTimeRate).toBe(0.5);
    expect(body.milestonesDone).toBe(2);
    // Kenya, Ghana, Senegal, Rwanda, Germany, Poland and Italy (twice).
    expect(body.transitionsByQuarter).toEqual([{ quarter: '2026-Q2', forward: 8, backward: 0 }]);
  });

  it('keeps a coordinator to their region, and a region filter to its region', async () => {
    const coordinator = await kpis(staff.regional_coordinator);
    expect(coordinator.programmes).toBe(6);
    expect(coordinator.byRegion.map((row: { regionCode: string }) => row.regionCode)).toEqual([
      'AFR',
    ]);
    expect(coordinator.phaseMedianDays.readiness_assessment).toBe(100);
    const europe = await kpis(staff.observer, '?region=EUR');
    expect(europe.programmes).toBe(4);
    expect(europe.overdueMilestonesByAge).toEqual({ '1-30': 0, '31-90': 0, '91+': 1 });
    const national = await kpis(staff.national_team);
    expect(national.programmes).toBe(1);
    expect(national.established).toBe(1);
    // Outside a coordinator's region, nothing.
    expect((await kpis(staff.regional_coordinator, '?region=EUR')).programmes).toBe(0);
  });

  it('projects operation from the regional medians, the global ones where a region has too few', async () => {
    const list = await client(t, staff.admin)('GET', '/api/v1/programmes?pageSize=100');
    expect(list.statusCode).toBe(200);
    const projected = Object.fromEntries(
      list
        .json()
        .items.map((item: { countryCode: string; projectedOperationDate: string | null }) => [
          item.countryCode,
          item.projectedOperationDate,
        ]),
    );
    expect(projected).toEqual({
      // Nigeria, 60 days into readiness: Africa's 100 - 60, then the global 70 and 225.
      NG: '2027-06-15',
      // Senegal, 45 days into planning (Africa left it only twice): 70 - 45 + 225 = 250 days.
      SN: '2027-03-22',
      TZ: '2027-04-26',
      RW: '2027-04-16',
      // Ghana, 40 days into implementation: 225 - 40.
      GH: '2027-01-16',
      // Europe left readiness four times: the global 110 - 5, then 70 and 225.
      PL: '2027-08-19',
      DE: '2027-04-06',
      IT: '2027-02-10',
      // In operation: nothing left to project; a cancelled programme is not projected.
      KE: null,
      FR: null,
      UG: null,
    });
    const detail = await client(t, staff.observer)('GET', `/api/v1/programmes/${ids.NG}`);
    expect(detail.json().projectedOperationDate).toBe('2027-06-15');
  });

  it('projects afresh when a phase ends', async () => {
    const pm = client(t, await createUser(t.dataSource, { role: 'itu_pm' }));
    // Italy has spent 15 days in implementation; sent back to planning, it leaves implementation
    // after 15 days: that phase's median becomes the one of 200, 250 and 15.
    const back = await pm('POST', `/api/v1/programmes/${ids.IT}/transitions`, {
      toPhase: 'planning',
      note: 'Design to be reviewed',
    });
    expect(back.statusCode).toBe(201);
    const italy = (await pm('GET', `/api/v1/programmes/${ids.IT}`)).json();
    // Back in planning since today: the global 70 days of planning, then 200 of implementation.
    expect(italy.projectedOperationDate).toBe('2027-04-11');
    expect((await kpis(staff.admin)).phaseMedianDays).toMatchObject({
      planning: 70,
      implementation: 200,
    });
  });

  it('refuses a period that ends before it starts, and unknown filters, with problem+json', async () => {
    const as = client(t, staff.admin);
    for (const query of [
      '?from=2026-07-01&to=2026-06-30',
      '?from=2026-02-30',
      '?to=yesterday',
      '?region=XYZ',
      '?regionCode=AFR',
    ]) {
      const response = await as('GET', `/api/v1/portfolio/kpis${query}`);
      expect([query, response.statusCode]).toEqual([query, 400]);
      expect(response.headers['content-type']).toContain('application/problem+json');
    }
    const reversed = await client(t, staff.admin)(
      'GET',
      '/api/v1/portfolio/kpis?from=2026-07-01&to=2026-06-30',
    );
    expect(reversed.json().errors).toEqual([
      expect.objectContaining({ field: 'to', code: 'to_before_from' }),
    ]);
  });
});
