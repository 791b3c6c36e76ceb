import { brotliDecompressSync } from 'node:zlib';
import { DEMO_PASSWORD, DEMO_USERS, loadDemoPortfolio } from '../src/demo/demo-portfolio.js';
import { createPendingTransition } from './factories/programmes.js';
import type { TestUser } from './factories/users.js';
import { type TestApp, startTestApp } from './support/test-app.js';

/** Every country there is: the portfolio the page's weight is promised on. */
const DEMO_COUNTRIES = 195;
const WEEK_MS = 7 * 86_400_000;

type DemoUser = keyof typeof DEMO_USERS;

/** The counts of the manager's home, by the list each counts. */
function countsOf(html: string): Record<string, { count: number; href: string }> {
  return Object.fromEntries(
    [
      ...html.matchAll(
        /<li class="(?:some|none)" data-count="(\w+)"><a href="([^"]+)"><span class="n">([\d,]+)<\/span>/g,
      ),
    ].map(([, key, href, count]) => [key, { count: Number(count.replace(',', '')), href }]),
  );
}

/** The part of a page in the section that the heading `id` names. */
function section(html: string, id: string): string {
  const start = html.indexOf(`aria-labelledby="${id}"`);
  if (start < 0) throw new Error(`No section ${id}`);
  return html.slice(start, html.indexOf('</section>', start));
}

describe("a manager's home", () => {
  let t: TestApp;
  const cookies = new Map<DemoUser, string>();

  beforeAll(async () => {
    t = await startTestApp();
    await loadDemoPortfolio(t.app, { countries: DEMO_COUNTRIES });
    const users: Record<string, TestUser> = Object.fromEntries(
      (
        await t.dataSource.query(
          `SELECT id, email, role, country_code AS "countryCode", region_code AS "regionCode" FROM users`,
        )
      ).map((user: TestUser) => [user.email, user]),
    );
    const admin = users[DEMO_USERS.admin.email];
    // Besides the demo's own: a change the itu_pm asked for themselves, which is not theirs to
    // decide, and one in Africa that has waited ten days.
    await createPendingTransition(t, admin, users[DEMO_USERS.pm.email], 'TG');
    const waiting = await createPendingTransition(t, admin, admin, 'KE');
    await t.dataSource.query(
      `UPDATE phase_transitions SET requested_at = now() - interval '10 days' WHERE id = $1`,
      [waiting.id],
    );
  }, 300_000);
  afterAll(() => t.close());

  async function cookieOf(who: DemoUser): Promise<string> {
    const known = cookies.get(who);
    if (known) return known;
    const response = await t.app.inject({
      method: 'POST',
      url: '/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        email: DEMO_USERS[who].email,
        password: DEMO_PASSWORD,
      }).toString(),
    });
    const cookie = response.cookies.find((item) => item.name === 'cirt_session')!;
    cookies.set(who, `cirt_session=${cookie.value}`);
    return cookies.get(who)!;
  }

  async function page(who: DemoUser, url: string): Promise<string> {
    const response = await t.app.inject({
      method: 'GET',
      url,
      headers: { cookie: await cookieOf(who) },
    });
    expect({ url, status: response.statusCode }).toEqual({ url, status: 200 });
    return response.body;
  }

  it.each<[string, DemoUser, { decidable: number; listed: number }]>([
    // Jamaica's request and Kenya's; not Ghana's nor Togo's, which the itu_pm asked for.
    ['an itu_pm', 'pm', { decidable: 2, listed: 4 }],
    // Africa's three: Ghana's, Togo's and Kenya's.
    ['a regional coordinator', 'coordinator', { decidable: 3, listed: 3 }],
  ])(
    'should show %s first what waits for them, each count the length of the list it links to',
    async (_name, who, transitions) => {
      const home = await page(who, '/app/portfolio');
      const counts = countsOf(home);
      expect(Object.keys(counts)).toEqual([
        'decisions',
        'overdueMilestones',
        'offTrack',
        'atRisk',
        'staleUpdates',
        'overAWeek',
      ]);
      // Before the chart and the map.
      expect(home.indexOf('data-count="decisions"')).toBeLessThan(
        home.indexOf('phase-chart-title'),
      );

      const queue = await page(who, '/app/queue');
      const decide = section(queue, 'decide-title');
      // The requests this user may decide: not those they asked for themselves.
      const decidable = decide
        .split('<article class="transition"')
        .slice(1)
        .filter((article) => article.includes('/approve"'));
      const requestedAt = (article: string) =>
        new Date(/<time datetime="([^"]+)"/.exec(article)![1]).getTime();
      const listLength = (id: string) => section(queue, id).split('<li>').length - 1;
      const programmes = async (health: string) =>
        Number(
          /<h2 id="countries-title">[^<(]+\((\d+)\)/.exec(
            await page(who, `/app/portfolio?health=${health}`),
          )![1],
        );

      expect(counts).toEqual({
        decisions: { count: decidable.length, href: '/app/queue#decide-title' },
        overdueMilestones: { count: listLength('overdue-title'), href: '/app/queue#overdue-title' },
        offTrack: {
          count: await programmes('off_track'),
          href: '/app/portfolio?health=off_track#countries-title',
        },
        atRisk: {
          count: await programmes('at_risk'),
          href: '/app/portfolio?health=at_risk#countries-title',
        },
        staleUpdates: { count: listLength('stale-title'), href: '/app/queue#stale-title' },
        overAWeek: {
          count: decidable.filter((article) => requestedAt(article) <= Date.now() - WEEK_MS).length,
          href: '/app/queue#decide-title',
        },
      });
      expect([counts.decisions.count, counts.overAWeek.count]).toEqual([transitions.decidable, 1]);
      expect(decide.split('<article class="transition"').length - 1).toBe(transitions.listed);
      for (const { count } of Object.values(counts)) expect(count).toBeGreaterThan(0);
      // What waits is told by more than colour: a class the style sheet marks with shape and weight.
      expect(home).toContain('<li class="some" data-count="decisions">');
    },
  );

  it('should show a zero calmly', async () => {
    await t.dataSource.query(
      `UPDATE phase_transitions SET requested_at = now() WHERE requested_at < now() - interval '7 days'`,
    );
    const home = await page('pm', '/app/portfolio');
    expect(home).toMatch(
      /<li class="none" data-count="overAWeek"><a [^>]+><span class="n">0<\/span>/,
    );
  });

  it('should count the decisions waiting beside My queue in the menu, and say what they are', async () => {
    const nav = (html: string) => /<nav aria-label="[^"]+">([\s\S]*?)<\/nav>/.exec(html)![1];
    expect(nav(await page('pm', '/app/reports'))).toContain(
      '<a href="/app/queue">My queue <span class="menu-count" aria-hidden="true">2</span>' +
        '<span class="visually-hidden">(2 decisions waiting for you)</span></a>',
    );
    expect(nav(await page('coordinator', '/app/queue?lang=fr'))).toContain(
      '<span class="visually-hidden">(3 décisions vous attendent)</span>',
    );
  });

  it('should show no counts to those who decide nothing', async () => {
    const observer = await page('observer', '/app/portfolio');
    expect(observer).not.toContain('data-count=');
    expect(observer).not.toContain('menu-count');
    expect(await page('team', '/app/countries/KE')).not.toContain('menu-count');
  });

  it('should give the countries on the map as a list by phase, the picture hidden from assistive technology', async () => {
    const home = await page('pm', '/app/portfolio');
    const map = /<svg [^>]*class="world-map"[\s\S]*?<\/svg>/.exec(home)![0];
    expect(map).toMatch(/^<svg [^>]*aria-hidden="true" focusable="false">/);
    expect(map).not.toContain('role="img"');
    const mapLinks = [...map.matchAll(/<a href="([^"]+)" tabindex="-1">/g)].map(([, href]) => href);
    expect(map.split('<a ').length - 1).toBe(mapLinks.length);

    const list = /<details class="country-list">([\s\S]*?)<\/details>/.exec(home)![1];
    const listed = [...list.matchAll(/<li><a href="([^"]+)">/g)].map(([, href]) => href);
    expect(listed).toHaveLength(DEMO_COUNTRIES);
    expect(new Set(mapLinks)).toEqual(new Set(listed));
    expect(list.match(/<h3>/g)).toHaveLength(5);
    expect(home).toMatch(/<ul class="legend">[\s\S]*Not tracked<\/li>/);
  });

  it('should zoom the map on a region, and keep a coordinator to theirs', async () => {
    const viewBox = (html: string) =>
      /<svg [^>]*viewBox="([^"]+)" class="world-map"/.exec(html)![1];
    const world = await page('pm', '/app/portfolio');
    const africa = await page('pm', '/app/portfolio?region=AFR');
    expect(viewBox(africa)).not.toBe(viewBox(world));
    expect(viewBox(await page('coordinator', '/app/portfolio'))).toBe(viewBox(africa));
    const list = /<details class="country-list">([\s\S]*?)<\/details>/.exec(africa)![1];
    expect(list).toContain('href="/app/countries/KE"');
    expect(list).not.toContain('href="/app/countries/FR"');
  });

  it('should chart the countries per phase on the server, saying what it counts', async () => {
    const home = await page('pm', '/app/portfolio');
    const chart = /<table class="bar-chart">[\s\S]*?<\/table>/.exec(home)![0];
    expect(chart).toContain(
      '<caption><h2 id="phase-chart-title">Countries per phase</h2></caption>',
    );
    const values = [...chart.matchAll(/<span class="value">(\d+)<\/span>/g)].map(([, n]) =>
      Number(n),
    );
    expect(values).toHaveLength(5);
    expect(values.reduce((sum, n) => sum + n, 0)).toBe(DEMO_COUNTRIES);
    expect(home).toContain('<h2 id="regions-title">Programmes per region</h2>');
    expect(home).not.toMatch(/<canvas|chart\.umd|data-chart/);
  });

  it('should weigh under 60 KB compressed on a first visit and 15 KB on a repeat one, with every country', async () => {
    const cookie = await cookieOf('pm');
    const get = (url: string) =>
      t.app.inject({ method: 'GET', url, headers: { cookie, 'accept-encoding': 'br, gzip' } });
    const weight = (responses: { rawPayload: Buffer; headers: object }[]) =>
      responses.reduce(
        (sum, response) =>
          sum + response.rawPayload.length + Object.entries(response.headers).join('\r\n').length,
        0,
      );
    const home = await get('/app/portfolio');
    expect(home.headers['content-encoding']).toBe('br');
    expect(home.headers['cache-control']).toBe('no-store');
    const html = brotliDecompressSync(home.rawPayload).toString('utf8');
    // Each file once: the map's outlines are one file, each country a fragment of it.
    const assets = [
      ...new Set([...html.matchAll(/(?:href|src)="(\/assets\/[^"#]+)/g)].map(([, url]) => url)),
    ];
    expect(assets.map((url) => url.split('/').pop()).sort()).toEqual([
      'app.css',
      'app.js',
      'world.svg',
    ]);
    const files = await Promise.all(assets.map(get));
    for (const file of files) {
      expect(file.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    }
    expect(weight([home, ...files])).toBeLessThan(60 * 1024);
    // The assets kept, only the page comes again.
    expect(weight([home])).toBeLessThan(15 * 1024);
  });

  it("should draw the map's outlines from a file browsers keep, the page naming each country's", async () => {
    const home = await page('pm', '/app/portfolio');
    const map = /<svg [^>]*class="world-map"[\s\S]*?<\/svg>/.exec(home)![0];
    const uses = [...map.matchAll(/<use href="(\/assets\/[0-9a-f]{12}\/world\.svg)#(\w+)"/g)];
    expect(new Set(uses.map(([, file]) => file)).size).toBe(1);
    expect(uses[0][2]).toBe('land');
    const file = await t.app.inject({ method: 'GET', url: uses[0][1] });
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toContain('image/svg+xml');
    for (const [, , id] of uses) expect(file.body).toContain(`id="${id}"`);

    // A region's map has a file of its own.
    const coordinator = await page('coordinator', '/app/portfolio');
    expect(coordinator).toMatch(/<use href="\/assets\/[0-9a-f]{12}\/world-AFR\.svg#land"/);
  });

  /** The programme table's headings, its rows' countries and days in phase, and its pager. */
  function programmeTable(html: string) {
    const table = section(html, 'countries-title');
    return {
      total: Number(/<h2 id="countries-title">[^<(]+\((\d+)\)/.exec(table)![1]),
      headings: [...table.matchAll(/<th scope="col"[^>]*>.*?<\/th>/g)].map(([heading]) => heading),
      countries: [...table.matchAll(/<tr data-country="(\w+)">/g)].map(([, code]) => code),
      daysInPhase: [...table.matchAll(/data-label="Days in phase">(\d+)</g)].map(([, days]) =>
        Number(days),
      ),
      pager: /<nav class="pager"[\s\S]*?<\/nav>/.exec(table)?.[0] ?? null,
    };
  }

  it('should show the programmes 50 at a time, the pager keeping the filters and the order', async () => {
    const first = programmeTable(await page('pm', '/app/portfolio'));
    const pages = Math.ceil(first.total / 50);
    expect(pages).toBeGreaterThan(2);
    expect(first.countries).toHaveLength(50);
    expect(first.pager).toContain(`<span>Page 1 of ${pages}</span>`);
    expect(first.pager).not.toContain('rel="prev"');
    expect(first.pager).toContain(
      '<a href="/app/portfolio?page=2#countries-title" rel="next">Next</a>',
    );

    const second = programmeTable(await page('pm', '/app/portfolio?page=2'));
    expect(second.countries).toHaveLength(50);
    expect(second.countries).not.toContain(first.countries[49]);
    expect(second.pager).toContain(`Page 2 of ${pages}`);
    expect(second.pager).toContain('<a href="/app/portfolio#countries-title" rel="prev">');

    const filtered = programmeTable(
      await page('pm', '/app/portfolio?q=CIRT&health=on_track&sort=-daysInPhase&page=2'),
    );
    expect(filtered.total).toBeGreaterThan(100);
    expect(filtered.pager).toContain(
      '<a href="/app/portfolio?health=on_track&amp;q=CIRT&amp;sort=-daysInPhase#countries-title" rel="prev">',
    );
    expect(filtered.pager).toContain(
      '<a href="/app/portfolio?health=on_track&amp;q=CIRT&amp;sort=-daysInPhase&amp;page=3#countries-title" rel="next">',
    );
    // The filter form keeps the order too; an empty field filters nothing.
    const form = await page('pm', '/app/portfolio?sort=phase');
    expect(form).toContain('<input type="hidden" name="sort" value="phase">');
    const unfiltered = programmeTable(
      await page('pm', '/app/portfolio?q=&phase=&health=&region=&sort=phase'),
    );
    expect(unfiltered.total).toBe(first.total);
    expect(await page('pm', '/app/portfolio')).not.toContain('name="sort"');
  });

  it("should sort the programmes by the API's orders through the column headings, saying which on the sorted one", async () => {
    const sorted = programmeTable(await page('pm', '/app/portfolio'));
    expect(sorted.headings).toEqual([
      '<th scope="col" aria-sort="ascending"><a href="/app/portfolio?sort=-country#countries-title">Country</a></th>',
      '<th scope="col">Programme</th>',
      '<th scope="col"><a href="/app/portfolio?sort=phase#countries-title">Phase</a></th>',
      '<th scope="col">Health</th>',
      '<th scope="col">Readiness</th>',
      '<th scope="col" class="num">Overdue milestones</th>',
      '<th scope="col" class="num"><a href="/app/portfolio?sort=daysInPhase#countries-title">Days in phase</a></th>',
      // The projection is not an order the API offers.
      '<th scope="col">Projected operation</th>',
    ]);

    const longest = programmeTable(
      await page('pm', '/app/portfolio?phase=planning&sort=-daysInPhase'),
    );
    expect(longest.headings[6]).toBe(
      '<th scope="col" class="num" aria-sort="descending"><a href="/app/portfolio?phase=planning&amp;sort=daysInPhase#countries-title">Days in phase</a></th>',
    );
    expect(longest.headings[0]).not.toContain('aria-sort');
    expect(longest.daysInPhase.length).toBeGreaterThan(1);
    expect(longest.daysInPhase).toEqual([...longest.daysInPhase].sort((a, b) => b - a));
    // Sorted on the server: the page needs no script for it.
    expect(await page('pm', '/app/portfolio')).not.toMatch(/data-sortable|data-sort=/);
  });
});
