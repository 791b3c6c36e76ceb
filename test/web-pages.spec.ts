import { missingTranslations } from '../src/web/i18n.js';
import { createPendingTransition, createProgramme } from './factories/programmes.js';
import { type Staff, TEST_PASSWORD, createStaff } from './factories/users.js';
import { type TestApp, startTestApp } from './support/test-app.js';

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
      /<a href="\/app\/countries\/KE" aria-label="[^"]+"><path [^>]*class="phase-readiness_assessment"/,
    );
    expect(page.body).toContain('data-country="FR"');
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

  it('should let the session write through the API only with its CSRF token', async () => {
    const cookie = await signIn(staff.itu_pm.email);
    const transition = await createPendingTransition(t, staff.admin, staff.admin, 'GH');
    const queue = await t.app.inject({ method: 'GET', url: '/app/queue', headers: { cookie } });
    expect(queue.body).toContain(`/api/v1/transitions/${transition.id}/approve`);
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
    expect(page.body).toContain('/api/v1/milestones/');
    expect(page.body).toContain('id="status-update-form"');
    const portfolio = await t.app.inject({
      method: 'GET',
      url: '/app/portfolio',
      headers: { cookie },
    });
    expect(portfolio.statusCode).toBe(403);
  });

  it('should have every page text in French and Spanish', () => {
    expect(missingTranslations()).toEqual({ en: [], fr: [], es: [] });
  });
});
