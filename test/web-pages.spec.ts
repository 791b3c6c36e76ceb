import { brotliDecompressSync } from 'node:zlib';
import { createAssessment } from './factories/assessments.js';
import {
  createPendingTransition,
  createProgramme,
  createStakeholder,
} from './factories/programmes.js';
import { type Staff, TEST_PASSWORD, createStaff } from './factories/users.js';
import { type TestApp, bearer, client, startTestApp } from './support/test-app.js';

describe('web pages', () => {
  let t: TestApp;
  let staff: Staff;

  beforeAll(async () => {
    t = await startTestApp();
    staff = await createStaff(t.dataSource);
    await createProgramme(t, staff.admin, { countryCode: 'KE', cirtType: 'national' });
    await createProgramme(t, staff.admin, { countryCode: 'FR', cirtType: 'national' });
  });
  afterAll(() => t.close());

  async function signIn(email: string): Promise<string> {
    const response = await t.app.inject({
      method: 'POST',
      url: '/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        email,
        password: TEST_PASSWORD,
        next: '/app/portfolio',
      }).toString(),
    });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/app/portfolio');
    const cookie = response.cookies.find((item) => item.name === 'cirt_session')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    return `cirt_session=${cookie.value}`;
  }

  const csrfOf = (html: string) => /name="csrf-token" content="([^"]+)"/.exec(html)![1];

  it('should send a signed-out visitor to sign-in, and refuse wrong passwords without a session', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/app/portfolio' });
    expect([page.statusCode, page.headers.location]).toEqual([
      303,
      '/login?next=%2Fapp%2Fportfolio',
    ]);
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `email=${encodeURIComponent(staff.itu_pm.email)}&password=nope`,
    });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.body).toContain('E-mail or password is wrong.');
    expect(wrong.cookies.find((item) => item.name === 'cirt_session')).toBeUndefined();
  });

  it('should show the portfolio with the map, in the chosen language', async () => {
    const cookie = await signIn(staff.itu_pm.email);
    const page = await t.app.inject({
      method: 'GET',
      url: '/app/portfolio?lang=fr',
      headers: { cookie },
    });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('<html lang="fr"');
    expect(page.body).toContain('Pays par phase');
    expect(page.body).toMatch(
      /<a href="\/app\/countries\/KE" tabindex="-1"><use href="\/assets\/[0-9a-f]{12}\/world\.svg#KE" class="phase-readiness_assessment">/,
    );
    expect(page.body).toContain('data-country="FR"');
  });

  it('should lay out Arabic right to left, and link every language to the same page and filters', async () => {
    const cookie = await signIn(staff.itu_pm.email);
    const page = await t.app.inject({
      method: 'GET',
      url: '/app/portfolio?region=AFR&lang=ar',
      headers: { cookie },
    });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<html lang="ar" dir="rtl"');
    const links = [
      ...page.body.matchAll(/<a href="([^"]+)" lang="(\w+)" hreflang="\w+" dir="(\w+)"/g),
    ];
    expect(links.map(([, , lang]) => lang)).toEqual(['en', 'fr', 'es', 'ar', 'ru', 'zh']);
    for (const [, href, lang, dir] of links) {
      expect(href).toBe(`/app/portfolio?region=AFR&amp;lang=${lang}`);
      expect(dir).toBe(lang === 'ar' ? 'rtl' : 'ltr');
    }

    // Remembered: the next page without ?lang= is Arabic too.
    const next = await t.app.inject({
      method: 'GET',
      url: '/app/queue',
      headers: { cookie: `${cookie}; lang=ar` },
    });
    expect(next.body).toContain('<html lang="ar" dir="rtl"');
    // Signed out and never chosen: the browser's Accept-Language, its best language of ours.
    const russian = await t.app.inject({
      method: 'GET',
      url: '/login',
      headers: { 'accept-language': 'de;q=0.9, ru;q=0.8, fr;q=0.5' },
    });
    expect(russian.body).toContain('<html lang="ru" dir="ltr"');
  });

  it('should send pages and assets compressed, and the assets under versioned URLs kept a year', async () => {
    const cookie = await signIn(staff.itu_pm.email);
    const get = (url: string, encoding = 'br, gzip') =>
      t.app.inject({ method: 'GET', url, headers: { cookie, 'accept-encoding': encoding } });
    const page = await get('/app/portfolio');
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-encoding']).toBe('br');
    const html = brotliDecompressSync(page.rawPayload).toString('utf8');
    expect(page.rawPayload.length).toBeLessThan(html.length / 2);
    expect((await get('/app/portfolio', 'gzip')).headers['content-encoding']).toBe('gzip');

    // Each file once, without the fragment that names a country's outline in the map's file.
    const assets = [
      ...new Set(
        [...html.matchAll(/(?:href|src)="(\/assets\/[0-9a-f]{12}\/[^"#]+)/g)].map(([, url]) => url),
      ),
    ];
    expect(assets.map((url) => url.split('/').pop())).toEqual(
      expect.arrayContaining(['app.css', 'app.js', 'world.svg']),
    );
    for (const url of assets) {
      const asset = await get(url);
      expect({ url, status: asset.statusCode }).toEqual({ url, status: 200 });
      expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(asset.headers['content-encoding']).toBe('br');
    }
    // The unversioned names are gone, so no browser keeps a stale copy under them.
    expect((await get('/assets/app.css')).statusCode).toBe(404);
  });

  it('should load no chart library on any page: the server draws the charts', async () => {
    const pm = await signIn(staff.itu_pm.email);
    const team = await signIn(staff.national_team.email);
    const pages: [string, string | undefined][] = [
      ['/login', undefined],
      ['/app/portfolio', pm],
      ['/app/queue', pm],
      ['/app/reports', pm],
      ['/app/notifications', pm],
      ['/app/countries/KE', team],
    ];
    for (const [url, cookie] of pages) {
      const page = await t.app.inject({ method: 'GET', url, headers: cookie ? { cookie } : {} });
      const scripts = [...page.body.matchAll(/<script [^>]*src="([^"]+)"/g)].map(([, src]) =>
        src.split('/').pop(),
      );
      expect({ url, status: page.statusCode, scripts }).toEqual({
        url,
        status: 200,
        scripts: ['app.js'],
      });
      expect({ url, canvas: /<canvas|data-chart=/.test(page.body) }).toEqual({
        url,
        canvas: false,
      });
    }
  });

  it("should keep a coordinator to their region's countries", async () => {
    const cookie = await signIn(staff.regional_coordinator.email);
    const page = await t.app.inject({ method: 'GET', url: '/app/portfolio', headers: { cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('data-country="KE"');
    expect(page.body).not.toContain('data-country="FR"');
    expect(page.body).not.toContain('href="/app/countries/FR"');
    const france = await t.app.inject({
      method: 'GET',
      url: '/app/countries/FR',
      headers: { cookie },
    });
    expect(france.statusCode).toBe(404);
  });

  it('should link an overdue milestone in My queue to the programme it belongs to', async () => {
    const sectoral = await createProgramme(t, staff.admin, { countryCode: 'KE' });
    await t.dataSource.query(
      `UPDATE milestones SET due_date = DATE '2020-01-01' WHERE programme_id = $1`,
      [sectoral.id],
    );
    const cookie = await signIn(staff.itu_pm.email);
    const queue = await t.app.inject({ method: 'GET', url: '/app/queue', headers: { cookie } });
    expect(queue.body).toContain(`href="/app/countries/KE?programme=${sectoral.id}"`);
  });

  it('should let the session write through the API only with its CSRF token', async () => {
    const cookie = await signIn(staff.itu_pm.email);
    const transition = await createPendingTransition(t, staff.admin, staff.admin, 'GH');
    const queue = await t.app.inject({ method: 'GET', url: '/app/queue', headers: { cookie } });
    expect(queue.body).toContain(`action="/app/queue/transitions/${transition.id}/approve"`);
    const approve = (headers: Record<string, string>) =>
      t.app.inject({
        method: 'POST',
        url: `/api/v1/transitions/${transition.id}/approve`,
        headers: { cookie, 'content-type': 'application/json', ...headers },
        payload: {},
      });
    expect((await approve({})).statusCode).toBe(403);
    expect((await approve({ 'x-csrf-token': 'forged' })).statusCode).toBe(403);
    const approved = await approve({ 'x-csrf-token': csrfOf(queue.body) });
    expect(approved.statusCode).toBe(200);
    const [programme] = await t.dataSource.query('SELECT phase FROM programmes WHERE id = $1', [
      transition.programmeId,
    ]);
    expect(programme.phase).toBe('planning');
  });

  it("should take a national team to its country's workspace", async () => {
    const cookie = await signIn(staff.national_team.email);
    const home = await t.app.inject({ method: 'GET', url: '/', headers: { cookie } });
    expect(home.headers.location).toBe('/app/countries/KE');
    const page = await t.app.inject({
      method: 'GET',
      url: '/app/countries/KE',
      headers: { cookie },
    });
    expect(page.statusCode).toBe(200);
    // Its forms post to the pages, which work without JavaScript, with the session's CSRF token.
    expect(page.body).toMatch(
      /<form action="\/app\/countries\/KE\/programmes\/[0-9a-f-]{36}\/milestones\/[0-9a-f-]{36}\/status" method="post"/,
    );
    expect(page.body).toContain('id="status-update"');
    expect(page.body).toContain('name="_csrf"');
    const portfolio = await t.app.inject({
      method: 'GET',
      url: '/app/portfolio',
      headers: { cookie },
    });
    expect(portfolio.statusCode).toBe(403);
  });

  it('should refuse a sign-in posted from another site', async () => {
    const post = (headers: Record<string, string>) =>
      t.app.inject({
        method: 'POST',
        url: '/login',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
        payload: new URLSearchParams({
          email: staff.observer.email,
          password: TEST_PASSWORD,
        }).toString(),
      });
    const foreignPosts: Record<string, string>[] = [
      { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' },
      { 'sec-fetch-site': 'same-site' },
      { origin: 'https://evil.example' },
      { origin: 'null' },
    ];
    for (const foreign of foreignPosts) {
      const refused = await post(foreign);
      expect([foreign, refused.statusCode]).toEqual([foreign, 403]);
      expect(refused.cookies.find((item) => item.name === 'cirt_session')).toBeUndefined();
    }
    // A browser's own form post: same-origin by Fetch Metadata, even with an opaque Origin.
    const own = await post({ 'sec-fetch-site': 'same-origin', origin: 'null' });
    expect(own.statusCode).toBe(303);
  });

  it('should show a questionnaire with its answers to the team, and only the scores to an observer', async () => {
    const [kenya] = await t.dataSource.query(
      `SELECT id FROM programmes WHERE country_code = 'KE' LIMIT 1`,
    );
    const { id } = await createAssessment(t, staff.admin, kenya.id, 'draft');
    const answer = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/assessments/${id}/responses/A1`,
      headers: bearer(await t.tokenFor(staff.national_team)),
      payload: { level: 4, note: 'Decree 2026/14' },
    });
    expect(answer.statusCode).toBe(200);

    const team = await signIn(staff.national_team.email);
    const page = await t.app.inject({
      method: 'GET',
      url: `/app/assessments/${id}`,
      headers: { cookie: team },
    });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`action="/app/assessments/${id}/responses/A2" method="post"`);
    expect(page.body).toContain(`data-api="/api/v1/assessments/${id}/responses/A2"`);
    expect(page.body).toMatch(/<li data-missing="A1">.*needs evidence<\/li>/);
    expect(page.body).toMatch(/<li data-missing="A2">.*not answered<\/li>/);
    expect(page.body).toContain('Decree 2026/14');

    const observer = await signIn(staff.observer.email);
    const hidden = await t.app.inject({
      method: 'GET',
      url: `/app/assessments/${id}`,
      headers: { cookie: observer },
    });
    expect(hidden.statusCode).toBe(200);
    expect(hidden.body).toContain('Observers see the scores, not the answers.');
    expect(hidden.body).not.toContain('Decree 2026/14');
    expect(hidden.body).not.toContain('/responses/');
  });

  it('should list the delivery log in scope, with retry for those who may retry', async () => {
    const [kenya] = await t.dataSource.query(
      `SELECT id FROM programmes WHERE country_code = 'KE' LIMIT 1`,
    );
    const [dead] = await t.dataSource.query(
      `INSERT INTO notifications (kind, channel, recipient, subject, body_text, not_before, status,
                                  attempts, last_error, programme_id, country_code, dedupe_key)
       VALUES ('reminder.milestone_overdue', 'email', 'focal@example.org', 'Overdue', 'Overdue',
               now(), 'dead', 5, 'mailbox unavailable', $1, 'KE', 'web-pages-dead') RETURNING id`,
      [kenya.id],
    );
    const pm = await signIn(staff.itu_pm.email);
    const log = await t.app.inject({
      method: 'GET',
      url: '/app/notifications?status=dead',
      headers: { cookie: pm },
    });
    expect(log.statusCode).toBe(200);
    expect(log.body).toContain('mailbox unavailable');
    // Its retry comes back to the log as it was filtered.
    expect(log.body).toContain(`action="/app/notifications/${dead.id}/retry?status=dead"`);

    const team = await signIn(staff.national_team.email);
    const teamLog = await t.app.inject({
      method: 'GET',
      url: '/app/notifications',
      headers: { cookie: team },
    });
    expect(teamLog.body).toContain('mailbox unavailable');
    expect(teamLog.body).not.toContain('/retry"');

    const bad = await t.app.inject({
      method: 'GET',
      url: '/app/notifications?status=lost',
      headers: { cookie: pm },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('text/html');
  });

  it.each([
    ['a tab the browser strips', '/\t/evil.example'],
    ['a protocol-relative address', '//evil.example'],
    ['a backslash the browser reads as a slash', '/\\evil.example'],
    ['another site', 'https://evil.example/'],
    ['an encoded header break', '/%0d%0aSet-Cookie:x'],
    ['a raw header break', '/app\r\nSet-Cookie: x=1'],
    ['a script', 'javascript:alert(1)'],
  ])('should go to the start page after sign-in when next is %s', async (_name, next) => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        email: staff.observer.email,
        password: TEST_PASSWORD,
        next,
      }).toString(),
    });
    expect([response.statusCode, response.headers.location]).toEqual([303, '/']);
    const form = await t.app.inject({
      method: 'GET',
      url: `/login?${new URLSearchParams({ next }).toString()}`,
    });
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('<input type="hidden" name="next" value="/">');
  });

  it('should go back after sign-in to a page of this site, with its query', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        email: staff.itu_pm.email,
        password: TEST_PASSWORD,
        next: '/app/queue?x=1',
      }).toString(),
    });
    expect([response.statusCode, response.headers.location]).toEqual([303, '/app/queue?x=1']);
  });

  it('should allow no inline script by the content security policy', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/login' });
    const directives = String(page.headers['content-security-policy']).split(';');
    const scriptSrc = directives
      .map((item) => item.trim())
      .find((item) => item.startsWith('script-src '));
    expect(scriptSrc).toBe("script-src 'self'");
  });

  describe('the country workspace, as the API lets each role read', () => {
    const marks = {
      milestone: 'Milestone only the team may read 7f3a',
      summary: 'Status summary only the team may read 7f3a',
      nextSteps: 'Next steps only the team may read 7f3a',
      stakeholder: 'stakeholder.only.team.7f3a@example.org',
    };
    let kenyaId: string;

    beforeAll(async () => {
      const [kenya] = await t.dataSource.query(
        `SELECT id FROM programmes WHERE country_code = 'KE' AND cirt_type = 'national'`,
      );
      kenyaId = kenya.id;
      const as = client(t, staff.admin);
      const milestone = await as('POST', `/api/v1/programmes/${kenyaId}/milestones`, {
        phase: 'readiness_assessment',
        title: marks.milestone,
        dueDate: '2027-05-01',
      });
      expect(milestone.statusCode).toBe(201);
      const update = await as('POST', `/api/v1/programmes/${kenyaId}/status-updates`, {
        health: 'at_risk',
        summary: marks.summary,
        nextSteps: marks.nextSteps,
      });
      expect(update.statusCode).toBe(201);
      await createStakeholder(t, staff.admin, 'KE', { email: marks.stakeholder });
    });

    async function countryPage(user: keyof Staff): Promise<string> {
      const page = await t.app.inject({
        method: 'GET',
        url: '/app/countries/KE',
        headers: { cookie: await signIn(staff[user].email) },
      });
      expect(page.statusCode).toBe(200);
      return page.body;
    }

    it('should show an observer none of the milestones, status updates and stakeholders, and an itu_pm all of them', async () => {
      const milestoneTitles: { title: string }[] = await t.dataSource.query(
        'SELECT title FROM milestones WHERE programme_id = $1',
        [kenyaId],
      );
      const stakeholders: { name: string; email: string }[] = await t.dataSource.query(
        `SELECT name, email FROM stakeholders WHERE country_code = 'KE'`,
      );
      const observer = await countryPage('observer');
      for (const text of [
        ...milestoneTitles.map((row) => row.title),
        marks.summary,
        marks.nextSteps,
        ...stakeholders.flatMap((row) => [row.name, row.email]),
      ]) {
        expect([text, observer.includes(text)]).toEqual([text, false]);
      }
      const pm = await countryPage('itu_pm');
      for (const text of [marks.milestone, marks.summary, marks.nextSteps, 'Test Stakeholder']) {
        expect([text, pm.includes(text)]).toEqual([text, true]);
      }
    });

    it.each(['admin', 'itu_pm', 'regional_coordinator', 'national_team', 'observer'] as const)(
      'should show %s the sections whose data the API gives them, and only those',
      async (user) => {
        const as = client(t, staff[user]);
        const [milestones, updates, stakeholders, history] = await Promise.all([
          as('GET', `/api/v1/programmes/${kenyaId}/milestones`),
          as('GET', `/api/v1/programmes/${kenyaId}/status-updates`),
          as('GET', '/api/v1/countries/KE/stakeholders'),
          as('GET', `/api/v1/programmes/${kenyaId}/history`),
        ]);
        const api = {
          milestones: milestones.statusCode,
          updates: updates.statusCode,
          stakeholders: stakeholders.statusCode,
          historyEvents: history.statusCode === 200 && history.json().events.length > 0,
        };
        const page = await countryPage(user);
        const shows = (section: string) => page.includes(`aria-labelledby="${section}-title"`);
        const onPage = {
          milestones: shows('milestones') ? 200 : 403,
          updates: shows('updates') ? 200 : 403,
          stakeholders: shows('stakeholders') ? 200 : 403,
          // The history's phases and decisions are everyone's; its audit events, the workers'.
          historyEvents: page.includes('<li class="change">'),
        };
        expect(onPage).toEqual(api);
        expect(Object.values(api)).toEqual(
          user === 'observer' ? [403, 403, 403, false] : [200, 200, 200, true],
        );
      },
    );
  });
});
