import { READINESS_KEYS, createAssessment } from './factories/assessments.js';
import { createProgramme, createStakeholder, firstMilestone } from './factories/programmes.js';
import { uploadDocument } from './factories/documents.js';
import { type Staff, TEST_PASSWORD, createStaff } from './factories/users.js';
import { type TestApp, startTestApp } from './support/test-app.js';

/**
 * The pages' forms as a browser without JavaScript posts them: url-encoded fields with the
 * session's CSRF token, a 303 back to the page with a confirmation, or the page again with the
 * refusal next to the fields and what was typed, having changed nothing.
 */
describe('page forms without JavaScript', () => {
  let t: TestApp;
  let staff: Staff;
  let programme: { id: string };
  let session: { cookie: string; csrf: string };
  const workspace = () => `/app/countries/KE?programme=${programme.id}`;
  const formsOf = () => `/app/countries/KE/programmes/${programme.id}`;

  beforeAll(async () => {
    t = await startTestApp();
    staff = await createStaff(t.dataSource);
    programme = await createProgramme(t, staff.admin, { countryCode: 'KE', cirtType: 'national' });
    session = await signIn(staff.national_team.email);
  });
  afterAll(() => t.close());

  async function signIn(email: string): Promise<{ cookie: string; csrf: string }> {
    const response = await t.app.inject({
      method: 'POST',
      url: '/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ email, password: TEST_PASSWORD, next: '/' }).toString(),
    });
    const cookie = `cirt_session=${response.cookies.find((item) => item.name === 'cirt_session')!.value}`;
    const page = await t.app.inject({
      method: 'GET',
      url: '/app/notifications',
      headers: { cookie },
    });
    const csrf = /name="csrf-token" content="([^"]+)"/.exec(page.body)![1];
    return { cookie, csrf };
  }

  /** Posts a form as the browser does, the CSRF token among its fields. */
  function post(url: string, fields: Record<string, string>, extraCookies = '') {
    return t.app.inject({
      method: 'POST',
      url,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        cookie: `${session.cookie}${extraCookies}`,
      },
      payload: new URLSearchParams({ _csrf: session.csrf, ...fields }).toString(),
    });
  }

  /** Follows a 303 as the browser does, with the confirmation cookie it was given. */
  async function follow(response: Awaited<ReturnType<typeof post>>) {
    const notice = response.cookies.find((item) => item.name === 'notice');
    const location = response.headers.location as string;
    return t.app.inject({
      method: 'GET',
      url: location.split('#')[0],
      headers: { cookie: `${session.cookie}${notice ? `; notice=${notice.value}` : ''}` },
    });
  }

  const count = async (sql: string, params: unknown[]) =>
    (await t.dataSource.query(sql, params))[0].n as number;
  const statusUpdates = () =>
    count('SELECT count(*)::int AS n FROM status_updates WHERE programme_id = $1', [programme.id]);

  it('should post a status update, go back to the workspace and confirm it there, once', async () => {
    const summary = `Decree drafted (${Date.now()})`;
    const posted = await post(`${formsOf()}/status-updates`, {
      health: 'at_risk',
      summary,
      nextSteps: 'Cabinet review',
    });
    expect(posted.statusCode).toBe(303);
    expect(posted.headers.location).toBe(workspace());
    const page = await follow(posted);
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(
      /<p class="notice done" role="status" tabindex="-1" autofocus><span aria-hidden="true">✔<\/span> Your status update is posted\.<\/p>/,
    );
    expect(page.body).toContain(summary);
    // Shown once: the page read again has no confirmation.
    expect(page.cookies.find((item) => item.name === 'notice')?.value).toBe('');
    const again = await t.app.inject({
      method: 'GET',
      url: workspace(),
      headers: { cookie: session.cookie },
    });
    expect(again.body).not.toContain('Your status update is posted.');
    const [row] = await t.dataSource.query(
      'SELECT health, next_steps FROM status_updates WHERE summary = $1',
      [summary],
    );
    expect(row).toEqual({ health: 'at_risk', next_steps: 'Cabinet review' });
  });

  it('should show a refused update again with the error at its field and what was typed, and write nothing', async () => {
    const before = await statusUpdates();
    const refused = await post(`${formsOf()}/status-updates`, {
      health: 'off_track',
      summary: '   ',
      nextSteps: 'Ask the ministry again',
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.headers['content-type']).toContain('text/html');
    expect(refused.body).toMatch(
      /<textarea id="update-summary" name="summary"[^>]* aria-invalid="true" aria-describedby="update-summary-error" autofocus>/,
    );
    expect(refused.body).toMatch(
      /<p class="field-error" id="update-summary-error">Summary [^<]+<\/p>/,
    );
    expect(refused.body).toContain('>Ask the ministry again</textarea>');
    expect(refused.body).toMatch(/<option value="off_track" selected>/);
    // Its language links lead to the workspace, not to the address the form posted to.
    expect(refused.body).toContain(
      `href="/app/countries/KE?programme=${programme.id}&amp;lang=fr"`,
    );
    expect(await statusUpdates()).toBe(before);
  });

  it('should say a refusal in the reader’s language', async () => {
    const refused = await post(
      `${formsOf()}/status-updates`,
      { health: 'on_track', summary: '' },
      '; lang=fr',
    );
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('<html lang="fr"');
    expect(refused.body).toMatch(
      /<p class="field-error" id="update-summary-error">[^<]*Résumé[^<]*<\/p>/,
    );
  });

  it('should refuse a form posted without the session’s CSRF token, and write nothing', async () => {
    const before = await statusUpdates();
    const response = await t.app.inject({
      method: 'POST',
      url: `${formsOf()}/status-updates`,
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: session.cookie },
      payload: new URLSearchParams({ health: 'on_track', summary: 'forged' }).toString(),
    });
    expect(response.statusCode).toBe(403);
    expect(await statusUpdates()).toBe(before);
  });

  it('should add a milestone and edit its title, due date, owner and description', async () => {
    const owner = await createStakeholder(t, staff.admin, 'KE');
    const added = await post(`${formsOf()}/milestones`, {
      phase: 'readiness_assessment',
      title: 'Legal review of the decree',
      dueDate: '2027-02-15',
      ownerStakeholderId: '',
      description: '',
    });
    expect(added.statusCode).toBe(303);
    expect(added.headers.location).toBe(workspace());
    const [milestone] = await t.dataSource.query(
      `SELECT id, version, owner_stakeholder_id AS owner, description FROM milestones
       WHERE programme_id = $1 AND title = 'Legal review of the decree'`,
      [programme.id],
    );
    expect(milestone).toMatchObject({ owner: null, description: null });
    expect((await follow(added)).body).toContain('The milestone is added.');

    const edited = await post(`${formsOf()}/milestones/${milestone.id}`, {
      version: String(milestone.version),
      title: 'Legal review of the CIRT decree',
      dueDate: '2027-03-01',
      ownerStakeholderId: owner.id,
      description: 'With the Attorney General’s office',
    });
    expect(edited.statusCode).toBe(303);
    expect(edited.headers.location).toBe(workspace());
    const page = await follow(edited);
    // The confirmation sits in the edited milestone's form, opened, and takes the focus.
    expect(page.body).toMatch(
      new RegExp(
        `<details class="edit" open>[\\s\\S]*?id="milestone-edit-${milestone.id}"[\\s\\S]*?The milestone is saved\\.`,
      ),
    );
    const [saved] = await t.dataSource.query(
      `SELECT title, due_date::text AS "dueDate", owner_stakeholder_id AS owner, description
       FROM milestones WHERE id = $1`,
      [milestone.id],
    );
    expect(saved).toEqual({
      title: 'Legal review of the CIRT decree',
      dueDate: '2027-03-01',
      owner: owner.id,
      description: 'With the Attorney General’s office',
    });

    // The version read before this edit is stale now: refused, nothing changed, form open again.
    const stale = await post(`${formsOf()}/milestones/${milestone.id}`, {
      version: String(milestone.version),
      title: 'Someone else’s title',
      dueDate: '2027-03-01',
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('<details class="edit" open>');
    expect(stale.body).toContain('value="Someone else’s title"');
    expect(
      (await t.dataSource.query('SELECT title FROM milestones WHERE id = $1', [milestone.id]))[0],
    ).toEqual({ title: 'Legal review of the CIRT decree' });
  });

  it('should set a milestone’s status from its own small form', async () => {
    const milestone = await firstMilestone(t, staff.admin, programme.id);
    const posted = await post(`${formsOf()}/milestones/${milestone.id}/status`, {
      version: String(milestone.version),
      status: 'in_progress',
    });
    expect(posted.statusCode).toBe(303);
    expect(
      (await t.dataSource.query('SELECT status FROM milestones WHERE id = $1', [milestone.id]))[0],
    ).toEqual({ status: 'in_progress' });
  });

  it.each([
    [
      'a programme id that is not one',
      '/app/countries/KE/programmes/not-a-uuid/status-updates',
      {},
    ],
    ['an unknown field', 'STATUS_UPDATES', { health: 'on_track', summary: 'x', mood: 'good' }],
    ['a health that is not one', 'STATUS_UPDATES', { health: 'great', summary: 'x' }],
    [
      'a due date that is not a date',
      'MILESTONES',
      { phase: 'planning', title: 'x', dueDate: '2027-02-30' },
    ],
    ['a version that is not a number', 'MILESTONE_STATUS', { version: 'abc', status: 'done' }],
  ])('should answer %s with a 4xx page and change nothing', async (_, target, fields) => {
    const milestone = await firstMilestone(t, staff.admin, programme.id);
    const url = target
      .replace('STATUS_UPDATES', `${formsOf()}/status-updates`)
      .replace('MILESTONES', `${formsOf()}/milestones`)
      .replace('MILESTONE_STATUS', `${formsOf()}/milestones/${milestone.id}/status`);
    const counts = async () => [
      await statusUpdates(),
      await count('SELECT count(*)::int AS n FROM milestones WHERE programme_id = $1', [
        programme.id,
      ]),
      await count('SELECT sum(version)::int AS n FROM milestones WHERE programme_id = $1', [
        programme.id,
      ]),
    ];
    const before = await counts();
    const response = await post(url, fields as Record<string, string>);
    expect(response.statusCode).toBeGreaterThanOrEqual(400);
    expect(response.statusCode).toBeLessThan(500);
    expect(response.headers['content-type']).toContain('text/html');
    expect(await counts()).toEqual(before);
  });

  it('should keep the e-mail of a refused sign-in, so that only the password is typed again', async () => {
    const refused = await t.app.inject({
      method: 'POST',
      url: '/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        email: staff.observer.email,
        password: 'wrong',
        next: '/',
      }).toString(),
    });
    expect(refused.statusCode).toBe(401);
    expect(refused.body).toContain(`value="${staff.observer.email}"`);
    expect(refused.body).toMatch(
      /<input id="password"[^>]* aria-describedby="sign-in-error" autofocus>/,
    );
  });

  it('should say so on the sign-in page after signing out', async () => {
    const { cookie, csrf } = await signIn(staff.observer.email);
    const out = await t.app.inject({
      method: 'POST',
      url: '/logout',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
      payload: new URLSearchParams({ _csrf: csrf }).toString(),
    });
    expect(out.statusCode).toBe(303);
    const notice = out.cookies.find((item) => item.name === 'notice')!;
    const page = await t.app.inject({
      method: 'GET',
      url: '/login',
      headers: { cookie: `notice=${notice.value}` },
    });
    expect(page.body).toContain('You are signed out.');
  });

  it('should send a form posted after its session ended to sign in, then to the start page', async () => {
    const before = await statusUpdates();
    const response = await t.app.inject({
      method: 'POST',
      url: `${formsOf()}/status-updates`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ health: 'on_track', summary: 'late' }).toString(),
    });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/login?next=%2F');
    expect(await statusUpdates()).toBe(before);
  });

  it("should change one's own password on the account page, refusing a wrong current one at its field", async () => {
    const { cookie, csrf } = await signIn(staff.regional_coordinator.email);
    const other = await signIn(staff.regional_coordinator.email);
    const change = (fields: Record<string, string>) =>
      t.app.inject({
        method: 'POST',
        url: '/app/account/password',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
        payload: new URLSearchParams({ _csrf: csrf, ...fields }).toString(),
      });
    const wrong = await change({
      currentPassword: 'not my password',
      newPassword: 'a brand new passphrase',
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toMatch(
      /<input id="current-password" name="currentPassword"[^>]* aria-invalid="true" aria-describedby="current-password-error" autofocus>/,
    );
    // What was typed in a password field is never written back into the page.
    expect(wrong.body).not.toContain('not my password');
    expect(wrong.body).not.toContain('a brand new passphrase');

    const changed = await change({
      currentPassword: TEST_PASSWORD,
      newPassword: 'a brand new passphrase',
    });
    expect(changed.statusCode).toBe(303);
    expect(changed.headers.location).toBe('/app/account');
    const notice = changed.cookies.find((item) => item.name === 'notice')!;
    const page = await t.app.inject({
      method: 'GET',
      url: '/app/account',
      headers: { cookie: `${cookie}; notice=${notice.value}` },
    });
    expect(page.body).toContain('Your password is changed.');
    // The other session is over; the new password signs in.
    const ended = await t.app.inject({
      method: 'GET',
      url: '/app/account',
      headers: { cookie: other.cookie },
    });
    expect(ended.statusCode).toBe(303);
    const again = await t.app.inject({
      method: 'POST',
      url: '/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        email: staff.regional_coordinator.email,
        password: 'a brand new passphrase',
        next: '/',
      }).toString(),
    });
    expect(again.statusCode).toBe(303);
  });

  it('should keep a language asked for at the door, signed in or not', async () => {
    const home = await t.app.inject({
      method: 'GET',
      url: '/?lang=ar',
      headers: { cookie: session.cookie },
    });
    expect(home.headers.location).toBe('/app/countries/KE?lang=ar');
    const signedOut = await t.app.inject({ method: 'GET', url: '/?lang=ar' });
    expect(signedOut.headers.location).toBe('/login?next=%2F%3Flang%3Dar&lang=ar');
    const login = await t.app.inject({ method: 'GET', url: signedOut.headers.location as string });
    expect(login.body).toContain('<html lang="ar" dir="rtl">');
  });

  it('should count against the hourly API-token limit only the tokens the account page made, and say so on the form when it is reached', async () => {
    const tokens = async () =>
      count('SELECT count(*)::int AS n FROM api_tokens WHERE user_id = $1', [
        staff.national_team.id,
      ]);
    for (const name of ['', ' ', 'x'.repeat(101)]) {
      expect((await post('/app/account/tokens', { name })).statusCode).toBe(400);
    }
    const made = [];
    for (let i = 0; i < 10; i += 1)
      made.push((await post('/app/account/tokens', { name: `t${i}` })).statusCode);
    expect(made).toEqual(Array(10).fill(201));
    const refused = await post('/app/account/tokens', { name: 'one more' });
    expect(refused.statusCode).toBe(429);
    expect(refused.body).toContain('Too many new API tokens: at most 10 per hour for each user');
    expect(await tokens()).toBe(10);
  });

  it('should let a team ask for the move only once the gate is met, and say what is left before', async () => {
    const page = () =>
      t.app.inject({ method: 'GET', url: workspace(), headers: { cookie: session.cookie } });
    const before = await page();
    expect(before.body).toContain('What&#39;s next: the move to Planning');
    expect(before.body).toContain('The button to ask for the move to Planning appears here');
    expect(before.body).not.toContain('id="transition-request"');

    await createAssessment(t, staff.admin, programme.id, 'validated');
    await uploadDocument(t, staff.admin, programme.id, 'assessment_report');
    await t.dataSource.query(
      `UPDATE milestones SET status = 'done', completed_at = now() WHERE programme_id = $1`,
      [programme.id],
    );
    await createStakeholder(t, staff.admin, 'KE', { role: 'host_approver' });
    const ready = await page();
    expect(ready.body).toContain('Every condition for the move to Planning is met');
    expect(ready.body).toContain('id="transition-request"');

    const requested = await post(`${formsOf()}/transitions`, {
      toPhase: 'planning',
      note: 'All set',
    });
    expect(requested.statusCode).toBe(303);
    const after = await follow(requested);
    expect(after.body).toContain('Your request for the move is sent.');
    expect(after.body).toContain('Waiting for a decision');
    // Asked twice (a second tab): refused at the form, nothing more written.
    const twice = await post(`${formsOf()}/transitions`, { toPhase: 'planning' });
    expect(twice.statusCode).toBe(409);
    expect(
      await count(
        `SELECT count(*)::int AS n FROM phase_transitions WHERE programme_id = $1 AND status = 'pending'`,
        [programme.id],
      ),
    ).toBe(1);
  });

  describe('the questionnaire', () => {
    let sectoral: { id: string };
    let assessment: { id: string };
    const answers = () =>
      count('SELECT count(*)::int AS n FROM assessment_responses WHERE assessment_id = $1', [
        assessment.id,
      ]);

    beforeAll(async () => {
      sectoral = await createProgramme(t, staff.admin, { countryCode: 'KE' });
      assessment = await createAssessment(t, staff.admin, sectoral.id, 'draft');
    });

    it('should save an answer posted with its Save button, and go back to it with its area open', async () => {
      const [key] = READINESS_KEYS;
      const saved = await post(`/app/assessments/${assessment.id}/responses/${key}`, {
        level: '3',
        naReason: '',
        evidence: 'https://example.org/decree.pdf\r\n\r\nGazette 2026/14 ',
        note: '',
      });
      expect(saved.statusCode).toBe(303);
      expect(saved.headers.location).toBe(`/app/assessments/${assessment.id}?open=${key}`);
      const page = await follow(saved);
      expect(page.body).toMatch(
        new RegExp(`id="indicator-${key}"[\\s\\S]*?The answer is saved\\.`),
      );
      const [row] = await t.dataSource.query(
        `SELECT level, na_reason AS "naReason", evidence FROM assessment_responses
         WHERE assessment_id = $1 AND indicator_key = $2`,
        [assessment.id, key],
      );
      expect(row).toEqual({
        level: 3,
        naReason: null,
        evidence: ['https://example.org/decree.pdf', 'Gazette 2026/14'],
      });
    });

    it('should refuse "not applicable" without a reason, at the reason field, and save nothing', async () => {
      const key = READINESS_KEYS[1];
      const before = await answers();
      const refused = await post(`/app/assessments/${assessment.id}/responses/${key}`, {
        level: 'null',
        naReason: '',
        evidence: '',
        note: 'We share it with the region',
      });
      expect(refused.statusCode).toBe(400);
      expect(refused.body).toMatch(
        new RegExp(`<input id="na-${key}" name="naReason"[^>]* aria-invalid="true"`),
      );
      expect(refused.body).toContain('>We share it with the region</textarea>');
      expect(refused.body).toMatch(
        new RegExp(`<input type="radio" name="level" value="null" data-type="null" checked>`),
      );
      expect(await answers()).toBe(before);
    });

    it('should refuse to submit an unfinished questionnaire, saying so at the button, then submit it once finished', async () => {
      const refused = await post(`/app/assessments/${assessment.id}/submit`, {});
      expect(refused.statusCode).toBe(422);
      expect(refused.body).toMatch(
        /id="submit-assessment"[\s\S]*?<div class="form-error" role="alert" tabindex="-1" autofocus>[^<]+<\/div>/,
      );
      expect(
        (
          await t.dataSource.query('SELECT status FROM assessments WHERE id = $1', [assessment.id])
        )[0],
      ).toEqual({ status: 'draft' });

      const finished = await createAssessment(t, staff.admin, sectoral.id, 'answered').catch(
        () => null,
      );
      expect(finished).toBeNull(); // one in the works per programme: finish this one instead
      await t.dataSource.query(
        `INSERT INTO assessment_responses (assessment_id, indicator_key, level, evidence, updated_by)
         SELECT $1, key, 2, '[]'::jsonb, $2 FROM unnest($3::text[]) AS key
         ON CONFLICT DO NOTHING`,
        [assessment.id, staff.admin.id, READINESS_KEYS],
      );
      const submitted = await post(`/app/assessments/${assessment.id}/submit`, {});
      expect(submitted.statusCode).toBe(303);
      expect(submitted.headers.location).toBe(`/app/assessments/${assessment.id}`);
      expect((await follow(submitted)).body).toContain('The questionnaire is submitted.');
      expect(
        (
          await t.dataSource.query('SELECT status FROM assessments WHERE id = $1', [assessment.id])
        )[0],
      ).toEqual({ status: 'submitted' });
    });

    it('should refuse a body on a form of only a button, and an indicator key that is not one', async () => {
      const withBody = await post(`/app/assessments/${assessment.id}/submit`, { note: 'x' });
      expect(withBody.statusCode).toBe(400);
      const badKey = await post(`/app/assessments/${assessment.id}/responses/A%201`, {
        level: '1',
      });
      expect(badKey.statusCode).toBe(400);
      expect(
        (
          await t.dataSource.query('SELECT status FROM assessments WHERE id = $1', [assessment.id])
        )[0],
      ).toEqual({ status: 'submitted' });
    });
  });
});
