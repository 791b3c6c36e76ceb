import { createAssessment } from './factories/assessments.js';
import {
  createPendingTransition,
  createProgramme,
  createStakeholder,
} from './factories/programmes.js';
import { type Staff, createStaff } from './factories/users.js';
import { CALLERS, type Case, type Fixtures, accessTable } from './support/access-table.js';
import { type TestApp, bearer, startTestApp } from './support/test-app.js';

type Role = keyof Staff;
const ROLES: Role[] = ['admin', 'itu_pm', 'regional_coordinator', 'national_team', 'observer'];

/** The pages a menu may lead to, as routes of the access table. */
const MENU_PAGES = [
  'GET /app/portfolio',
  'GET /app/queue',
  'GET /app/campaigns',
  'GET /app/reports',
  'GET /app/notifications',
  'GET /app/audit',
  'GET /app/users',
];

/**
 * "METHOD /path" of the access table whose path pattern matches this address; a path without
 * parameters first (/app/users/new before /app/users/:id), as the router does.
 */
function routeOf(table: Record<string, Case[]>, method: string, url: string): string {
  const path = url.split('?')[0];
  const exact = `${method.toUpperCase()} ${path}`;
  if (table[exact]) return exact;
  const matches = Object.keys(table).filter((key) => {
    const [verb, pattern] = key.split(' ');
    const regex = new RegExp(`^${pattern.replace(/:[A-Za-z]+/g, '[^/]+')}$`);
    return verb === method.toUpperCase() && regex.test(path);
  });
  if (matches.length !== 1)
    throw new Error(`${method} ${url} matches ${matches.join(', ') || 'no route'}`);
  return matches[0];
}

/** What the table says this role gets from the route, in its first case (the role's own scope). */
function answer(table: Record<string, Case[]>, route: string, role: Role): number {
  return table[route][0].expect[CALLERS.indexOf(role)];
}

/** The writes a page offers: its forms' and buttons' targets, as "METHOD /address". */
function offeredActions(html: string): string[] {
  const actions: string[] = [];
  for (const form of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)) {
    const attribute = (name: string, tag: string) =>
      new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];
    const method = (attribute('method', form[1]) ?? 'get').toUpperCase();
    const action = attribute('action', form[1]);
    if (method === 'GET' || !action) continue;
    // A form whose every field set is disabled, with no button, only shows (a read-only answer).
    const fieldsets = [...form[2].matchAll(/<fieldset\b([^>]*)>/g)];
    const readOnly =
      fieldsets.length > 0 &&
      fieldsets.every((fieldset) => /\sdisabled\b/.test(fieldset[1])) &&
      !form[2].includes('<button');
    if (readOnly) continue;
    actions.push(`${method} ${action}`);
    for (const button of form[2].matchAll(/<button\b([^>]*)>/g)) {
      const formAction = attribute('formaction', button[1]);
      if (formAction) actions.push(`${method} ${formAction}`);
    }
  }
  return actions;
}

/** The addresses of the layout's main menu. */
function menuLinks(html: string): string[] {
  const nav = /<header class="top">[\s\S]*?<nav\b[\s\S]*?<\/nav>/.exec(html)?.[0] ?? '';
  return [...nav.matchAll(/<a href="([^"]+)"/g)].map((link) => link[1]);
}

describe('pages offer what the API allows', () => {
  let t: TestApp;
  let staff: Staff;
  let table: Record<string, Case[]>;
  let pages: string[];

  beforeAll(async () => {
    t = await startTestApp();
    staff = await createStaff(t.dataSource);
    // Only the expectations of the table are read here, never its requests.
    const unused = {} as Fixtures['kenya'];
    table = accessTable(t, staff, { kenya: unused, ghana: unused, france: unused });
    const kenya = await createProgramme(t, staff.admin, {
      countryCode: 'KE',
      cirtType: 'national',
    });
    const draft = await createAssessment(t, staff.admin, kenya.id, 'draft');
    const energy = await createProgramme(t, staff.admin, { countryCode: 'KE', sector: 'energy' });
    const submitted = await createAssessment(t, staff.admin, energy.id, 'submitted');
    await createPendingTransition(t, staff.admin, staff.national_team, 'KE');
    // A programme on hold, whose workspace offers to resume it.
    const held = await createProgramme(t, staff.admin, { countryCode: 'KE', sector: 'water' });
    await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/programmes/${held.id}`,
      headers: bearer(await t.tokenFor(staff.admin)),
      payload: { version: held.version, status: 'on_hold', holdReason: 'funding' },
    });
    // A stakeholder, whose forms (edit, remove) the workspace offers to those who may write it.
    await createStakeholder(t, staff.admin, 'KE');
    await t.dataSource.query(
      `INSERT INTO notifications (kind, channel, dedupe_key, recipient, subject, body_text, not_before, status, country_code)
       VALUES ('test', 'email', 'page-rights', 'x@example.org', 's', 't', now(), 'dead', 'KE')`,
    );
    // A running and a paused schedule: the schedules page offers pause to one, resume to the other.
    await t.dataSource.query(
      `INSERT INTO report_schedules (created_by, cron, scope, scope_key, formats, recipients, paused)
       VALUES ($1, '0 7 * * 1', '{"regionCode": "AFR"}', 'region:AFR', '{csv}', '{pm@example.org}', false),
              ($1, '0 7 * * 2', '{"regionCode": "AFR"}', 'region:AFR', '{csv}', '{pm@example.org}', true)`,
      [staff.admin.id],
    );
    // An observer with an API token: its page offers the user forms, and to an admin the revoke.
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/tokens',
      headers: bearer(await t.tokenFor(staff.observer)),
      payload: { name: 'page-rights' },
    });
    // An open campaign in Kenya, whose page offers to close it to those who launch.
    const campaign = await t.app.inject({
      method: 'POST',
      url: '/api/v1/assessment-campaigns',
      headers: bearer(await t.tokenFor(staff.admin)),
      payload: {
        title: 'Kenya maturity',
        templateKey: 'cirt-maturity',
        countryCodes: ['KE'],
        dueDate: '2099-12-31',
      },
    });
    pages = [
      ...MENU_PAGES.map((route) => route.slice('GET '.length)),
      `/app/campaigns/${campaign.json().id}`,
      '/app/users/new',
      `/app/users/${staff.observer.id}`,
      '/app/report-schedules',
      '/app/countries/KE',
      `/app/countries/KE?programme=${held.id}`,
      '/app/programmes/new',
      `/app/assessments/${draft.id}`,
      `/app/assessments/${submitted.id}`,
    ];
  });
  afterAll(() => t.close());

  async function visit(role: Role) {
    const headers = bearer(await t.tokenFor(staff[role]));
    const bodies: string[] = [];
    for (const url of pages) {
      const page = await t.app.inject({ method: 'GET', url, headers });
      if (page.statusCode === 200) bodies.push(page.body);
    }
    return {
      menu: [...new Set(bodies.flatMap(menuLinks))],
      actions: [
        ...new Set(
          bodies.flatMap(offeredActions).map((action) => routeOf(table, ...split(action))),
        ),
      ].sort(),
    };
  }
  const split = (action: string) => action.split(' ') as [string, string];

  it.each(ROLES)(
    'should show %s a menu of exactly the pages the access table opens to it',
    async (role) => {
      const { menu } = await visit(role);
      const routes = menu.map((href) => routeOf(table, 'GET', href));
      for (const route of routes) expect([route, answer(table, route, role)]).toEqual([route, 200]);
      expect(routes.filter((route) => MENU_PAGES.includes(route)).sort()).toEqual(
        MENU_PAGES.filter((route) => answer(table, route, role) === 200).sort(),
      );
    },
  );

  it.each(ROLES)('should offer %s only writes that the access table lets it make', async (role) => {
    const { actions } = await visit(role);
    for (const route of actions) {
      expect([route, [401, 403].includes(answer(table, route, role))]).toEqual([route, false]);
    }
  });

  it('should offer each kind of write to someone, so the checks above are not empty', async () => {
    const offered = new Set<string>();
    for (const role of ROLES) for (const route of (await visit(role)).actions) offered.add(route);
    expect([...offered].sort()).toEqual(
      [
        'POST /app/assessments/:id/responses/:indicatorKey',
        'POST /app/assessments/:id/return',
        'POST /app/assessments/:id/submit',
        'POST /app/assessments/:id/validate',
        'POST /app/countries/:code/programmes/:id/assessments',
        'POST /app/countries/:code/programmes/:id/cancel',
        'POST /app/countries/:code/programmes/:id/documents/:kind',
        'POST /app/countries/:code/programmes/:id/edit',
        'POST /app/countries/:code/programmes/:id/hold',
        'POST /app/countries/:code/programmes/:id/milestones',
        'POST /app/countries/:code/programmes/:id/milestones/:milestoneId',
        'POST /app/countries/:code/programmes/:id/milestones/:milestoneId/status',
        'POST /app/countries/:code/programmes/:id/resume',
        'POST /app/countries/:code/programmes/:id/status-updates',
        'POST /app/countries/:code/stakeholders',
        'POST /app/countries/:code/stakeholders/:stakeholderId',
        'POST /app/countries/:code/stakeholders/:stakeholderId/remove',
        'POST /app/campaigns/:id/close',
        'POST /app/campaigns/preview',
        'POST /app/notifications/:id/retry',
        'POST /app/programmes/new',
        'POST /app/notifications/reminder-scan',
        'POST /app/notifications/test',
        'POST /app/queue/transitions/:id/approve',
        'POST /app/queue/transitions/:id/reject',
        'POST /app/reports',
        'POST /app/report-schedules',
        'POST /app/report-schedules/:id/delete',
        'POST /app/report-schedules/:id/pause',
        'POST /app/report-schedules/:id/resume',
        'POST /app/users/new',
        'POST /app/users/:id',
        'POST /app/users/:id/password',
        'POST /app/users/:id/state',
        'POST /app/users/:id/tokens/:tokenId/revoke',
        'POST /logout',
      ].sort(),
    );
  });
});
