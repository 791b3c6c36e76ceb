import { spawnSync } from 'node:child_process';
import { DEMO_USERS, type DemoSummary, loadDemoPortfolio } from '../src/demo/demo-portfolio.js';
import { type TestApp, client, startTestApp } from './support/test-app.js';

describe('the demo portfolio', () => {
  let t: TestApp;
  let summary: DemoSummary;

  beforeAll(async () => {
    t = await startTestApp();
    summary = await loadDemoPortfolio(t.app, { countries: 40 });
  }, 120_000);
  afterAll(() => t.close());

  const one = async (sql: string) => (await t.dataSource.query(sql))[0];
  const rowCounts = () =>
    one(`SELECT
      (SELECT count(*)::int FROM users) AS users,
      (SELECT count(*)::int FROM programmes) AS programmes,
      (SELECT count(*)::int FROM milestones) AS milestones,
      (SELECT count(*)::int FROM status_updates) AS status_updates,
      (SELECT count(*)::int FROM stakeholders) AS stakeholders,
      (SELECT count(*)::int FROM assessments) AS assessments,
      (SELECT count(*)::int FROM assessment_responses) AS responses,
      (SELECT count(*)::int FROM phase_transitions) AS transitions,
      (SELECT count(*)::int FROM audit_events) AS audit`);

  it('should load 40 countries in all six regions and all five phases', async () => {
    expect(
      await one(`SELECT count(DISTINCT p.country_code)::int AS countries,
                        count(DISTINCT c.region_code)::int AS regions,
                        count(DISTINCT p.phase)::int AS phases,
                        count(*) FILTER (WHERE p.cirt_type = 'national')::int AS national
                 FROM programmes p JOIN countries c ON c.code = p.country_code`),
    ).toEqual({ countries: 40, regions: 6, phases: 5, national: 40 });
    expect(summary).toMatchObject({ alreadyLoaded: false });
    expect(summary.countriesPerPhase.every((phase) => phase.countries > 0)).toBe(true);
  });

  it('should leave work in the queues: a pending transition in Africa, overdue milestones', async () => {
    const { pendingInAfrica } = await one(`
      SELECT count(*)::int AS "pendingInAfrica" FROM phase_transitions t
      JOIN programmes p ON p.id = t.programme_id JOIN countries c ON c.code = p.country_code
      WHERE t.status = 'pending' AND c.region_code = 'AFR'`);
    expect(pendingInAfrica).toBeGreaterThan(0);
    const { overdue } = await one(`
      SELECT count(*)::int AS overdue FROM milestones
      WHERE status IN ('planned', 'in_progress', 'blocked') AND due_date < current_date`);
    expect(overdue).toBeGreaterThan(0);
  });

  it('should hold validated readiness assessments with scores, and a draft for Kenya', async () => {
    const { validated, unscored } = await one(`
      SELECT count(*)::int AS validated, count(*) FILTER (WHERE overall_score IS NULL)::int AS unscored
      FROM assessments WHERE kind = 'readiness' AND status = 'validated'`);
    expect(validated).toBeGreaterThan(20);
    expect(unscored).toBe(0);
    const { drafts } = await one(`
      SELECT count(*)::int AS drafts FROM assessments a JOIN programmes p ON p.id = a.programme_id
      WHERE p.country_code = 'KE' AND a.status = 'draft'
        AND EXISTS (SELECT 1 FROM assessment_responses r WHERE r.assessment_id = a.id)`);
    expect(drafts).toBe(1);
  });

  it('should give each programme the deliverables of the phases it has left, as PDFs a download returns', async () => {
    // Every gate left forward asked for its deliverable: a programme lacking one it passed is a bug.
    const missing = await t.dataSource.query(
      `SELECT p.id, t.from_phase AS phase FROM programmes p
       JOIN phase_transitions t ON t.programme_id = p.id AND t.status = 'approved' AND t.direction = 'forward'
       WHERE t.from_phase IN ('readiness_assessment', 'planning', 'implementation')
         AND NOT EXISTS (SELECT 1 FROM documents d WHERE d.programme_id = p.id AND d.kind =
           CASE t.from_phase WHEN 'readiness_assessment' THEN 'assessment_report'
                             WHEN 'planning' THEN 'design_document' ELSE 'operational_acceptance' END)`,
    );
    expect(missing).toEqual([]);
    const { documents, kinds } = await one(
      `SELECT count(*)::int AS documents, count(DISTINCT kind)::int AS kinds FROM documents`,
    );
    expect(documents).toBeGreaterThan(40);
    expect(kinds).toBe(4);
    const { id } = await one(`SELECT id FROM documents WHERE kind = 'design_document' LIMIT 1`);
    const pm = await one(`SELECT id FROM users WHERE email = '${DEMO_USERS.pm.email}'`);
    const download = await client(t, pm)('GET', `/api/v1/documents/${id}/download`);
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).toBe('application/pdf');
    expect(download.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
  });

  it("should date a programme's history at the moments of its story, not at the load", async () => {
    // The programme that has come the furthest: its history spans the most phases.
    const { id } = await one(`
      SELECT programme_id AS id FROM phase_transitions WHERE status = 'approved'
      GROUP BY programme_id ORDER BY count(*) DESC, programme_id LIMIT 1`);
    const pm = await one(`SELECT id FROM users WHERE email = '${DEMO_USERS.pm.email}'`);
    const history = (await client(t, pm)('GET', `/api/v1/programmes/${id}/history`)).json();
    const events: { action: string; occurredAt: string }[] = history.events;

    const created = events.find((event) => event.action === 'programme.created');
    expect(created?.occurredAt).toBe(history.phases[0].enteredAt);
    expect(Date.now() - Date.parse(created!.occurredAt)).toBeGreaterThan(365 * 86_400_000);
    const decisions = await t.dataSource.query(
      `SELECT decided_at AS "decidedAt" FROM phase_transitions
       WHERE programme_id = $1 AND status = 'approved' ORDER BY decided_at`,
      [id],
    );
    expect(decisions.length).toBeGreaterThanOrEqual(3);
    expect(
      events
        .filter((event) => event.action === 'programme.phase_changed')
        .map((event) => event.occurredAt),
    ).toEqual(decisions.map((row: { decidedAt: Date }) => row.decidedAt.toISOString()));
    const times = events.map((event) => event.occurredAt);
    expect(times).toEqual([...times].sort());
  });

  it("should show Kenya's national team the messages sent to its country's people, in words", async () => {
    const kenya = await one(
      `SELECT id FROM programmes WHERE country_code = 'KE' AND cirt_type = 'national'`,
    );
    await t.dataSource.query(
      `INSERT INTO notifications (kind, channel, recipient, subject, body_text, not_before, status,
                                  attempts, last_error, programme_id, country_code, dedupe_key)
       VALUES ('reminder.milestone_overdue', 'email', 'focal.point.ke@example.org', 'Overdue',
               'Overdue', now(), 'dead', 5, 'mailbox unavailable', $1, 'KE', 'demo-spec-dead')`,
      [kenya.id],
    );
    const team = await one(`SELECT id FROM users WHERE email = '${DEMO_USERS.team.email}'`);
    const page = (await client(t, team)('GET', '/app/notifications')).body;
    expect(page).toContain('<h1>Messages sent to Kenya&#39;s stakeholders</h1>');
    expect(page).toContain('<h2 id="log-title">Sent so far: 1 message</h2>');
    expect(page).toContain('<td data-label="What went wrong" class="delivery-problem break">');
    expect(page).toContain('>Not delivered</span>');
    expect(page).not.toMatch(/>(dead|KE|Delivery log)\b/);

    const pm = await one(`SELECT id FROM users WHERE email = '${DEMO_USERS.pm.email}'`);
    const log = (await client(t, pm)('GET', '/app/notifications?status=dead')).body;
    expect(log).toContain('<h1>Notifications</h1>');
    expect(log).toContain('Delivery log (1)');
    expect(log).toContain('<a href="/app/countries/KE">Kenya</a>');
  });

  it('should let every demo user sign in with the printed password', async () => {
    expect(summary.users.map((user) => user.role)).toEqual([
      'admin',
      'itu_pm',
      'regional_coordinator',
      'national_team',
      'observer',
    ]);
    for (const user of summary.users) {
      const response = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: user.email, password: summary.password },
      });
      expect(response.statusCode).toBe(200);
    }
  });

  it('should add nothing when loaded a second time', async () => {
    const before = await rowCounts();
    const again = await loadDemoPortfolio(t.app, { countries: 40 });
    expect(again).toEqual({ ...summary, alreadyLoaded: true });
    expect(await rowCounts()).toEqual(before);
  });

  it('should refuse to run in production', () => {
    const run = spawnSync(process.execPath, ['dist/src/cli.js', 'demo:load'], {
      env: {
        ...process.env,
        DATABASE_URL: t.database.url,
        NODE_ENV: 'production',
        JWT_SECRET: 'p'.repeat(40),
      },
      encoding: 'utf8',
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('does not run when NODE_ENV is production');
  });
});
