import type { INestApplication } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { ACCESS_RULE } from '../../src/auth/access.decorators.js';
import { createAssessment } from '../factories/assessments.js';
import {
  createPendingTransition,
  createProgramme,
  createStakeholder,
  firstMilestone,
} from '../factories/programmes.js';
import { multipartForm, tinyPdf, uploadDocument } from '../factories/documents.js';
import { createInvitedUser } from '../factories/invitations.js';
import { type Staff, TEST_PASSWORD, createUser } from '../factories/users.js';
import { type TestApp, bearer } from './test-app.js';

// The route table of the access rules, shared by test/access-routes.spec.ts and the security
// drill, so that both hold every route to the same single table.

export type Caller = 'anonymous' | keyof Staff;
export const CALLERS: Caller[] = [
  'anonymous',
  'admin',
  'itu_pm',
  'regional_coordinator',
  'national_team',
  'observer',
];

interface Request {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  url: string;
  body?: object;
  /** A multipart form instead of a JSON body: its fields, then a small PDF. */
  form?: Record<string, string>;
}

export interface Case {
  /** What is being tried, for the test name. */
  name: string;
  request: (caller: Caller) => Promise<Request>;
  /** The status each caller gets, in the order of CALLERS. */
  expect: [number, number, number, number, number, number];
}

export interface Fixtures {
  /** Kenya: the national team's own country, in the coordinator's region. */
  kenya: CountryFixture;
  /** Ghana: in the coordinator's region, not the national team's country. */
  ghana: CountryFixture;
  /** France: outside the coordinator's region and the team's country. */
  france: CountryFixture;
}

export interface CountryFixture {
  code: string;
  programmeId: string;
  milestoneId: string;
  stakeholderId: string;
  assessmentId: string;
}

async function countryFixture(t: TestApp, staff: Staff, code: string): Promise<CountryFixture> {
  const programme = await createProgramme(t, staff.admin, { countryCode: code });
  return {
    code,
    programmeId: programme.id,
    milestoneId: (await firstMilestone(t, staff.admin, programme.id)).id,
    stakeholderId: (await createStakeholder(t, staff.admin, code)).id,
    assessmentId: (await createAssessment(t, staff.admin, programme.id, 'submitted')).id,
  };
}

/** Kenya, Ghana and France, each with a programme, a milestone, a stakeholder and an assessment. */
export async function accessFixtures(t: TestApp, staff: Staff): Promise<Fixtures> {
  return {
    kenya: await countryFixture(t, staff, 'KE'),
    ghana: await countryFixture(t, staff, 'GH'),
    france: await countryFixture(t, staff, 'FR'),
  };
}

/**
 * Every route of the application with who may call it, in and out of scope. A route that is
 * registered but not listed here fails the first test, so a new endpoint cannot ship without
 * its access rule being decided and tested.
 */
export function accessTable(t: TestApp, staff: Staff, fixtures: Fixtures): Record<string, Case[]> {
  const ALL = [200, 200, 200, 200, 200, 200] as Case['expect'];
  const WORKERS_READ = [401, 200, 200, 200, 200, 403] as Case['expect'];
  const WORKERS_READ_OUT = [401, 200, 200, 404, 404, 403] as Case['expect'];
  const SIGNED_IN = [401, 200, 200, 200, 200, 200] as Case['expect'];
  const STAFF_ADMINS = [401, 200, 200, 403, 403, 403] as Case['expect'];
  let unique = 0;
  /** A new document of the country's programme, uploaded by an administrator. */
  const someDocument = (c: CountryFixture) =>
    uploadDocument(t, staff.admin, c.programmeId, 'other', { title: `Annex ${(unique += 1)}` });
  const someoneElsesToken = async () => (await anotherUsersToken()).tokenId;
  const anotherUsersToken = async () => {
    const other = await createUser(t.dataSource, { role: 'observer' });
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/tokens',
      headers: bearer(await t.tokenFor(other)),
      payload: { name: 'not yours' },
    });
    return { userId: other.id, tokenId: response.json().id as string };
  };
  const ownToken = async (caller: Caller) => {
    if (caller === 'anonymous') return '00000000-0000-4000-8000-000000000000';
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/tokens',
      headers: bearer(await t.tokenFor(staff[caller])),
      payload: { name: 'mine' },
    });
    return response.json().id as string;
  };

  /** A launch of the maturity questionnaire reaching a new programme of the country. */
  const campaignBody = async (code: string) => {
    await createProgramme(t, staff.admin, { countryCode: code });
    return {
      title: `Campaign ${(unique += 1)}`,
      templateKey: 'cirt-maturity',
      countryCodes: [code],
      dueDate: '2099-12-31',
    };
  };
  /** An open campaign of the country, launched by an administrator. */
  const someCampaign = async (code: string) => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/assessment-campaigns',
      headers: bearer(await t.tokenFor(staff.admin)),
      payload: await campaignBody(code),
    });
    return response.json().id as string;
  };

  const europeanReport = async () =>
    (
      await t.dataSource.query(
        `INSERT INTO reports (scope, scope_key, formats) VALUES ('{"regionCode": "EUR"}', 'region:EUR', '{json}') RETURNING id`,
      )
    )[0].id as string;
  const europeanSchedule = async () =>
    (
      await t.dataSource.query(
        `INSERT INTO report_schedules (created_by, cron, scope, scope_key, formats, recipients)
         VALUES ($1, '0 7 * * 1', '{"regionCode": "EUR"}', 'region:EUR', '{csv}', '{pm@example.org}') RETURNING id`,
        [staff.admin.id],
      )
    )[0].id as string;
  const scheduleBody = (regionCode: string) => ({
    cron: '0 7 * * 1',
    timezone: 'Europe/Paris',
    scope: { regionCode },
    formats: ['csv'],
    recipients: [staff.admin.email],
  });
  const pausedEuropeanSchedule = async () =>
    (
      await t.dataSource.query(
        `INSERT INTO report_schedules (created_by, cron, scope, scope_key, formats, recipients, paused, paused_reason)
         VALUES ($1, '0 7 * * 1', '{"regionCode": "EUR"}', 'region:EUR', '{csv}', '{pm@example.org}', true, 'owner_disabled')
         RETURNING id`,
        [staff.admin.id],
      )
    )[0].id as string;
  /** A running schedule of the admin's on a region (Europe is out of the coordinator's). */
  const runningSchedule = async (regionCode: 'AFR' | 'EUR') =>
    (
      await t.dataSource.query(
        `INSERT INTO report_schedules (created_by, cron, scope, scope_key, formats, recipients)
         VALUES ($1, '0 7 * * 1', jsonb_build_object('regionCode', $2::text), 'region:' || $2, '{csv}', '{pm@example.org}')
         RETURNING id`,
        [staff.admin.id, regionCode],
      )
    )[0].id as string;
  /**
   * The schedules form's fields (words, not cron) for a weekly schedule on a region. The fixtures
   * above leave the admin over the 20 schedules a user may own: each caller starts from none.
   */
  const scheduleForm = async (caller: Caller, regionCode: string) => {
    if (caller !== 'anonymous') {
      await t.dataSource.query('DELETE FROM report_schedules WHERE created_by = $1', [
        staff[caller].id,
      ]);
    }
    return {
      method: 'POST' as const,
      url: '/app/report-schedules',
      body: {
        frequency: 'weekly',
        weekday: '1',
        dayOfMonth: '1',
        hour: '7',
        timezone: 'Africa/Nairobi',
        'scope.regionCode': regionCode,
        'formats[]': 'csv',
        'recipients[]': staff.admin.email,
      },
    };
  };
  const version = async (table: 'programmes' | 'milestones', id: string) =>
    (await t.dataSource.query(`SELECT version FROM ${table} WHERE id = $1`, [id]))[0]
      .version as number;
  const { kenya, ghana, france } = fixtures;
  const perCountry = (
    name: string,
    build: (country: CountryFixture) => Promise<Request>,
    inScope: Case['expect'],
    outOfScope: Case['expect'],
    region?: Case['expect'],
  ): Case[] => [
    { name: `${name} in Kenya`, request: () => build(kenya), expect: inScope },
    ...(region ? [{ name: `${name} in Ghana`, request: () => build(ghana), expect: region }] : []),
    { name: `${name} in France`, request: () => build(france), expect: outOfScope },
  ];

  return {
    'GET /api/v1/programmes': [
      {
        name: 'list programmes',
        request: async () => ({ method: 'GET', url: '/api/v1/programmes' }),
        expect: SIGNED_IN,
      },
    ],
    'GET /api/v1/portfolio/kpis': [
      {
        name: 'read the lifecycle KPIs',
        request: async () => ({ method: 'GET', url: '/api/v1/portfolio/kpis?region=AFR' }),
        expect: SIGNED_IN,
      },
    ],
    'POST /api/v1/programmes': [
      {
        name: 'create a programme',
        request: async () => ({
          method: 'POST',
          url: '/api/v1/programmes',
          body: { countryCode: 'KE', cirtType: 'sectoral', sector: `access ${(unique += 1)}` },
        }),
        expect: [401, 201, 201, 403, 403, 403],
      },
      {
        name: 'create an itu_pm',
        request: async () => ({
          method: 'POST',
          url: '/api/v1/users',
          body: {
            email: `new.${(unique += 1)}@example.org`,
            displayName: 'New',
            role: 'itu_pm',
            password: TEST_PASSWORD,
          },
        }),
        expect: [401, 201, 403, 403, 403, 403],
      },
    ],
    'GET /api/v1/programmes/:id': perCountry(
      'read a programme',
      async (c) => ({ method: 'GET', url: `/api/v1/programmes/${c.programmeId}` }),
      SIGNED_IN,
      [401, 200, 200, 404, 404, 200],
      [401, 200, 200, 200, 404, 200],
    ),
    'PATCH /api/v1/programmes/:id': perCountry(
      'retitle a programme',
      async (c) => ({
        method: 'PATCH',
        url: `/api/v1/programmes/${c.programmeId}`,
        body: {
          version: await version('programmes', c.programmeId),
          title: `Title ${(unique += 1)}`,
        },
      }),
      [401, 200, 200, 403, 403, 403],
      [401, 200, 200, 403, 403, 403],
    ),
    'GET /api/v1/programmes/:id/milestones': perCountry(
      'list milestones',
      async (c) => ({ method: 'GET', url: `/api/v1/programmes/${c.programmeId}/milestones` }),
      WORKERS_READ,
      WORKERS_READ_OUT,
      [401, 200, 200, 200, 404, 403],
    ),
    'POST /api/v1/programmes/:id/milestones': perCountry(
      'add a milestone',
      async (c) => ({
        method: 'POST',
        url: `/api/v1/programmes/${c.programmeId}/milestones`,
        body: { phase: 'readiness_assessment', title: 'Extra', dueDate: '2027-05-01' },
      }),
      [401, 201, 201, 403, 201, 403],
      [401, 201, 201, 403, 404, 403],
      [401, 201, 201, 403, 404, 403],
    ),
    'PATCH /api/v1/milestones/:id': perCountry(
      'update a milestone',
      async (c) => ({
        method: 'PATCH',
        url: `/api/v1/milestones/${c.milestoneId}`,
        body: {
          version: await version('milestones', c.milestoneId),
          title: `Milestone ${(unique += 1)}`,
        },
      }),
      [401, 200, 200, 403, 200, 403],
      [401, 200, 200, 403, 404, 403],
    ),
    'GET /api/v1/programmes/:id/status-updates': perCountry(
      'list status updates',
      async (c) => ({ method: 'GET', url: `/api/v1/programmes/${c.programmeId}/status-updates` }),
      WORKERS_READ,
      WORKERS_READ_OUT,
    ),
    'POST /api/v1/programmes/:id/status-updates': perCountry(
      'post a status update',
      async (c) => ({
        method: 'POST',
        url: `/api/v1/programmes/${c.programmeId}/status-updates`,
        body: { health: 'on_track', summary: 'All good' },
      }),
      [401, 201, 201, 403, 201, 403],
      [401, 201, 201, 403, 404, 403],
    ),
    'POST /api/v1/programmes/:id/documents': perCountry(
      'upload a document',
      async (c) => ({
        method: 'POST',
        url: `/api/v1/programmes/${c.programmeId}/documents`,
        form: { kind: 'other', title: `Minutes ${(unique += 1)}` },
      }),
      [401, 201, 201, 403, 201, 403],
      [401, 201, 201, 403, 404, 403],
    ),
    'GET /api/v1/programmes/:id/documents': perCountry(
      "list a programme's documents",
      async (c) => ({ method: 'GET', url: `/api/v1/programmes/${c.programmeId}/documents` }),
      SIGNED_IN,
      [401, 200, 200, 404, 404, 200],
    ),
    'GET /api/v1/documents/:id/download': perCountry(
      'download a document',
      async (c) => ({
        method: 'GET',
        url: `/api/v1/documents/${(await someDocument(c)).id}/download`,
      }),
      WORKERS_READ,
      WORKERS_READ_OUT,
    ),
    'DELETE /api/v1/documents/:id': perCountry(
      'delete a document',
      async (c) => ({ method: 'DELETE', url: `/api/v1/documents/${(await someDocument(c)).id}` }),
      [401, 204, 204, 403, 403, 403],
      [401, 204, 204, 403, 403, 403],
    ),
    'GET /api/v1/countries/:code/stakeholders': perCountry(
      'list stakeholders',
      async (c) => ({ method: 'GET', url: `/api/v1/countries/${c.code}/stakeholders` }),
      WORKERS_READ,
      WORKERS_READ_OUT,
    ),
    'POST /api/v1/countries/:code/stakeholders': perCountry(
      'add a stakeholder',
      async (c) => ({
        method: 'POST',
        url: `/api/v1/countries/${c.code}/stakeholders`,
        body: { name: 'New', email: `new.${(unique += 1)}@example.org`, role: 'donor' },
      }),
      [401, 201, 201, 403, 201, 403],
      [401, 201, 201, 403, 404, 403],
    ),
    'PATCH /api/v1/stakeholders/:id': perCountry(
      'update a stakeholder',
      async (c) => ({
        method: 'PATCH',
        url: `/api/v1/stakeholders/${c.stakeholderId}`,
        body: { organisation: `Org ${(unique += 1)}` },
      }),
      [401, 200, 200, 403, 200, 403],
      [401, 200, 200, 403, 404, 403],
    ),
    'DELETE /api/v1/stakeholders/:id': perCountry(
      'remove a stakeholder',
      async (c) => ({
        method: 'DELETE',
        url: `/api/v1/stakeholders/${(await createStakeholder(t, staff.admin, c.code)).id}`,
      }),
      [401, 204, 204, 403, 204, 403],
      [401, 204, 204, 403, 404, 403],
    ),
    'GET /api/v1/assessment-templates': [
      {
        name: 'list templates',
        request: async () => ({ method: 'GET', url: '/api/v1/assessment-templates' }),
        expect: SIGNED_IN,
      },
    ],
    'GET /api/v1/assessment-templates/:key/:version': [
      {
        name: 'read a template',
        request: async () => ({
          method: 'GET',
          url: '/api/v1/assessment-templates/cirt-maturity/1.0.0',
        }),
        expect: SIGNED_IN,
      },
    ],
    'POST /api/v1/programmes/:id/assessments': perCountry(
      'start an assessment',
      async (c) => ({
        method: 'POST',
        url: `/api/v1/programmes/${(await createProgramme(t, staff.admin, { countryCode: c.code })).id}/assessments`,
        body: { templateKey: 'cirt-maturity' },
      }),
      [401, 201, 201, 403, 201, 403],
      [401, 201, 201, 403, 404, 403],
    ),
    'GET /api/v1/programmes/:id/assessments': perCountry(
      'list assessments',
      async (c) => ({ method: 'GET', url: `/api/v1/programmes/${c.programmeId}/assessments` }),
      SIGNED_IN,
      [401, 200, 200, 404, 404, 200],
    ),
    'GET /api/v1/programmes/:id/assessments/trend': perCountry(
      'assessment trend',
      async (c) => ({
        method: 'GET',
        url: `/api/v1/programmes/${c.programmeId}/assessments/trend`,
      }),
      SIGNED_IN,
      [401, 200, 200, 404, 404, 200],
    ),
    'GET /api/v1/assessments/:id': perCountry(
      'read an assessment',
      async (c) => ({ method: 'GET', url: `/api/v1/assessments/${c.assessmentId}` }),
      SIGNED_IN,
      [401, 200, 200, 404, 404, 200],
    ),
    'GET /api/v1/assessments/:id/score': perCountry(
      'read a score',
      async (c) => ({ method: 'GET', url: `/api/v1/assessments/${c.assessmentId}/score` }),
      SIGNED_IN,
      [401, 200, 200, 404, 404, 200],
    ),
    'PUT /api/v1/assessments/:id/responses/:indicatorKey': perCountry(
      'answer an indicator',
      async (c) => {
        const programme = await createProgramme(t, staff.admin, { countryCode: c.code });
        const { id } = await createAssessment(t, staff.admin, programme.id);
        return { method: 'PUT', url: `/api/v1/assessments/${id}/responses/A1`, body: { level: 2 } };
      },
      [401, 200, 200, 403, 200, 403],
      [401, 200, 200, 403, 404, 403],
    ),
    'POST /api/v1/assessments/:id/submit': perCountry(
      'submit an assessment',
      async (c) => {
        const programme = await createProgramme(t, staff.admin, { countryCode: c.code });
        const { id } = await createAssessment(t, staff.admin, programme.id, 'answered');
        return { method: 'POST', url: `/api/v1/assessments/${id}/submit` };
      },
      [401, 200, 200, 403, 200, 403],
      [401, 200, 200, 403, 404, 403],
    ),
    'POST /api/v1/assessments/:id/validate': perCountry(
      'validate an assessment',
      async (c) => {
        const programme = await createProgramme(t, staff.admin, { countryCode: c.code });
        const { id } = await createAssessment(t, staff.admin, programme.id, 'submitted');
        return { method: 'POST', url: `/api/v1/assessments/${id}/validate` };
      },
      [401, 200, 200, 403, 403, 403],
      [401, 200, 200, 403, 403, 403],
    ),
    'POST /api/v1/assessments/:id/return': perCountry(
      'return an assessment',
      async (c) => {
        const programme = await createProgramme(t, staff.admin, { countryCode: c.code });
        const { id } = await createAssessment(t, staff.admin, programme.id, 'submitted');
        return {
          method: 'POST',
          url: `/api/v1/assessments/${id}/return`,
          body: { note: 'Add evidence' },
        };
      },
      [401, 200, 200, 403, 403, 403],
      [401, 200, 200, 403, 403, 403],
    ),
    'POST /api/v1/programmes/:id/transitions': perCountry(
      'request the next phase (the gate refuses, after access is granted)',
      async (c) => ({
        method: 'POST',
        url: `/api/v1/programmes/${c.programmeId}/transitions`,
        body: { toPhase: 'planning' },
      }),
      [401, 422, 422, 403, 422, 403],
      [401, 422, 422, 403, 404, 403],
    ),
    'GET /api/v1/programmes/:id/transitions': perCountry(
      'list transitions',
      async (c) => ({ method: 'GET', url: `/api/v1/programmes/${c.programmeId}/transitions` }),
      SIGNED_IN,
      [401, 200, 200, 404, 404, 200],
    ),
    'GET /api/v1/programmes/:id/history': perCountry(
      'read the history',
      async (c) => ({ method: 'GET', url: `/api/v1/programmes/${c.programmeId}/history` }),
      SIGNED_IN,
      [401, 200, 200, 404, 404, 200],
    ),
    'POST /api/v1/transitions/:id/approve': [
      {
        name: "approve Kenya's request (the team's)",
        request: async () => ({
          method: 'POST',
          url: `/api/v1/transitions/${(await createPendingTransition(t, staff.admin, staff.national_team, 'KE')).id}/approve`,
        }),
        expect: [401, 200, 200, 200, 403, 403],
      },
      {
        name: "approve France's request (the ITU PM's own)",
        request: async () => ({
          method: 'POST',
          url: `/api/v1/transitions/${(await createPendingTransition(t, staff.admin, staff.itu_pm, 'FR')).id}/approve`,
        }),
        expect: [401, 200, 403, 404, 403, 403],
      },
    ],
    'POST /api/v1/transitions/:id/reject': [
      {
        name: "reject Kenya's request (the team's)",
        request: async () => ({
          method: 'POST',
          url: `/api/v1/transitions/${(await createPendingTransition(t, staff.admin, staff.national_team, 'KE')).id}/reject`,
          body: { note: 'Not yet' },
        }),
        expect: [401, 200, 200, 200, 403, 403],
      },
    ],
    'GET /api/v1/notifications': [
      {
        name: 'read the delivery log',
        request: async () => ({ method: 'GET', url: '/api/v1/notifications' }),
        expect: WORKERS_READ,
      },
    ],
    'POST /api/v1/notifications/test': [
      {
        name: 'send a test e-mail (no mail server here: the answer says so)',
        request: async () => ({
          method: 'POST',
          url: '/api/v1/notifications/test',
          body: { email: 'test@example.org' },
        }),
        expect: [401, 200, 200, 403, 403, 403],
      },
    ],
    'POST /api/v1/notifications/:id/retry': [
      {
        name: 'retry a dead notification',
        request: async () => {
          const [row] = await t.dataSource.query(
            `INSERT INTO notifications (kind, channel, dedupe_key, recipient, subject, body_text, not_before, status, country_code)
             VALUES ('test', 'email', gen_random_uuid()::text, 'x@example.org', 's', 't', now(), 'dead', 'KE') RETURNING id`,
          );
          return { method: 'POST', url: `/api/v1/notifications/${row.id}/retry` };
        },
        expect: [401, 200, 200, 403, 403, 403],
      },
    ],
    'POST /api/v1/reminders/scan': [
      {
        name: 'run a reminder scan now',
        request: async () => ({ method: 'POST', url: '/api/v1/reminders/scan' }),
        expect: [401, 202, 202, 403, 403, 403],
      },
    ],
    'POST /api/v1/assessment-campaigns': [
      {
        name: 'launch a campaign in Kenya',
        request: async () => ({
          method: 'POST',
          url: '/api/v1/assessment-campaigns',
          body: await campaignBody('KE'),
        }),
        expect: [401, 201, 201, 201, 403, 403],
      },
      {
        name: 'launch a campaign in France',
        request: async () => ({
          method: 'POST',
          url: '/api/v1/assessment-campaigns',
          body: await campaignBody('FR'),
        }),
        expect: [401, 201, 201, 403, 403, 403],
      },
    ],
    'GET /api/v1/assessment-campaigns': [
      {
        name: 'list campaigns',
        request: async () => ({ method: 'GET', url: '/api/v1/assessment-campaigns' }),
        expect: [401, 200, 200, 200, 403, 403],
      },
    ],
    'GET /api/v1/assessment-campaigns/:id': [
      {
        name: "a Kenyan campaign's progress",
        request: async () => ({
          method: 'GET',
          url: `/api/v1/assessment-campaigns/${await someCampaign('KE')}`,
        }),
        expect: [401, 200, 200, 200, 403, 403],
      },
      {
        name: "a French campaign's progress",
        request: async () => ({
          method: 'GET',
          url: `/api/v1/assessment-campaigns/${await someCampaign('FR')}`,
        }),
        expect: [401, 200, 200, 404, 403, 403],
      },
    ],
    'POST /api/v1/assessment-campaigns/:id/close': [
      {
        name: 'close a Kenyan campaign',
        request: async () => ({
          method: 'POST',
          url: `/api/v1/assessment-campaigns/${await someCampaign('KE')}/close`,
        }),
        expect: [401, 200, 200, 200, 403, 403],
      },
      {
        name: 'close a French campaign',
        request: async () => ({
          method: 'POST',
          url: `/api/v1/assessment-campaigns/${await someCampaign('FR')}/close`,
        }),
        expect: [401, 200, 200, 404, 403, 403],
      },
    ],
    'POST /api/v1/reports': [
      {
        name: 'request a report on Africa',
        request: async () => ({
          method: 'POST',
          url: '/api/v1/reports',
          body: { scope: { regionCode: 'AFR' }, formats: ['json'] },
        }),
        expect: [401, 202, 202, 202, 403, 403],
      },
      {
        name: 'request a report on Europe',
        request: async () => ({
          method: 'POST',
          url: '/api/v1/reports',
          body: { scope: { regionCode: 'EUR' }, formats: ['json'] },
        }),
        expect: [401, 202, 202, 404, 403, 403],
      },
    ],
    'GET /api/v1/reports': [
      {
        name: 'list reports',
        request: async () => ({ method: 'GET', url: '/api/v1/reports' }),
        expect: [401, 200, 200, 200, 403, 200],
      },
    ],
    'GET /api/v1/reports/:id': [
      {
        name: 'read a report on Europe',
        request: async () => ({ method: 'GET', url: `/api/v1/reports/${await europeanReport()}` }),
        expect: [401, 200, 200, 404, 403, 200],
      },
    ],
    'GET /api/v1/reports/:id/download': [
      {
        name: 'download a report on Europe (not compiled here: no file yet)',
        request: async () => ({
          method: 'GET',
          url: `/api/v1/reports/${await europeanReport()}/download?format=json`,
        }),
        expect: [401, 404, 404, 404, 403, 404],
      },
    ],
    'POST /api/v1/report-schedules': [
      {
        name: 'schedule a report on Africa',
        request: async () => ({
          method: 'POST',
          url: '/api/v1/report-schedules',
          body: scheduleBody('AFR'),
        }),
        expect: [401, 201, 201, 201, 403, 403],
      },
      {
        name: 'schedule a report on Europe',
        request: async () => ({
          method: 'POST',
          url: '/api/v1/report-schedules',
          body: scheduleBody('EUR'),
        }),
        expect: [401, 201, 201, 404, 403, 403],
      },
    ],
    'GET /api/v1/report-schedules': [
      {
        name: 'list report schedules',
        request: async () => ({ method: 'GET', url: '/api/v1/report-schedules' }),
        expect: [401, 200, 200, 200, 403, 403],
      },
    ],
    'GET /api/v1/report-schedules/:id': [
      {
        name: 'read a schedule on Europe',
        request: async () => ({
          method: 'GET',
          url: `/api/v1/report-schedules/${await europeanSchedule()}`,
        }),
        expect: [401, 200, 200, 404, 403, 403],
      },
    ],
    'POST /api/v1/report-schedules/:id/pause': [
      {
        name: 'pause a running schedule on Europe',
        request: async () => ({
          method: 'POST',
          url: `/api/v1/report-schedules/${await runningSchedule('EUR')}/pause`,
          body: { reason: 'Year-end break' },
        }),
        expect: [401, 200, 200, 403, 403, 403],
      },
    ],
    'POST /api/v1/report-schedules/:id/resume': [
      {
        name: 'resume a paused schedule on Europe',
        request: async () => ({
          method: 'POST',
          url: `/api/v1/report-schedules/${await pausedEuropeanSchedule()}/resume`,
        }),
        expect: [401, 200, 200, 403, 403, 403],
      },
    ],
    'POST /api/v1/report-schedules/:id/reassign': [
      {
        name: 'reassign a schedule on Europe',
        request: async () => ({
          method: 'POST',
          url: `/api/v1/report-schedules/${await pausedEuropeanSchedule()}/reassign`,
          body: { userId: staff.itu_pm.id },
        }),
        expect: [401, 200, 200, 403, 403, 403],
      },
    ],
    'DELETE /api/v1/report-schedules/:id': [
      {
        name: 'delete a schedule on Europe',
        request: async () => ({
          method: 'DELETE',
          url: `/api/v1/report-schedules/${await europeanSchedule()}`,
        }),
        expect: [401, 204, 204, 404, 403, 403],
      },
    ],
    'GET /api/v1/audit': [
      {
        name: 'read the audit trail',
        request: async () => ({ method: 'GET', url: '/api/v1/audit' }),
        expect: WORKERS_READ,
      },
    ],
    'GET /': [
      {
        name: 'the start page sends each user on (and the signed-out to sign-in)',
        request: async () => ({ method: 'GET', url: '/' }),
        expect: [303, 303, 303, 303, 303, 303],
      },
    ],
    'GET /login': [
      {
        name: 'the sign-in page',
        request: async () => ({ method: 'GET', url: '/login' }),
        expect: ALL,
      },
    ],
    'POST /login': [
      {
        name: 'sign in on the page whatever token is sent',
        request: async () => ({
          method: 'POST',
          url: '/login',
          body: { email: staff.observer.email, password: TEST_PASSWORD },
        }),
        expect: [303, 303, 303, 303, 303, 303],
      },
    ],
    'GET /invitation/:token': [
      {
        name: "an invitation's page whatever token is sent",
        request: async () => ({
          method: 'GET',
          url: `/invitation/${(await createInvitedUser(t, staff.admin)).token}`,
        }),
        expect: ALL,
      },
    ],
    'POST /invitation/:token': [
      {
        name: 'choose a password on an invitation’s page, which signs in',
        request: async () => ({
          method: 'POST',
          url: `/invitation/${(await createInvitedUser(t, staff.admin)).token}`,
          body: { newPassword: TEST_PASSWORD },
        }),
        expect: [303, 303, 303, 303, 303, 303],
      },
    ],
    'POST /logout': [
      {
        name: 'sign out of the pages',
        request: async () => ({ method: 'POST', url: '/logout' }),
        expect: [303, 303, 303, 303, 303, 303],
      },
    ],
    'GET /app/portfolio': [
      {
        name: 'the portfolio page',
        request: async () => ({ method: 'GET', url: '/app/portfolio' }),
        expect: [303, 200, 200, 200, 403, 200],
      },
    ],
    'GET /app/queue': [
      {
        name: 'the queue of decisions',
        request: async () => ({ method: 'GET', url: '/app/queue' }),
        expect: [303, 200, 200, 200, 403, 403],
      },
    ],
    'GET /app/countries/:code': perCountry(
      'the country workspace',
      async (country) => ({ method: 'GET', url: `/app/countries/${country.code}` }),
      [303, 200, 200, 200, 200, 200],
      [303, 200, 200, 404, 404, 200],
      [303, 200, 200, 200, 404, 200],
    ),
    'GET /app/campaigns': [
      {
        name: 'the campaigns page',
        request: async () => ({ method: 'GET', url: '/app/campaigns' }),
        expect: [303, 200, 200, 200, 403, 403],
      },
    ],
    'GET /app/campaigns/:id': [
      {
        name: "a Kenyan campaign's page",
        request: async () => ({ method: 'GET', url: `/app/campaigns/${await someCampaign('KE')}` }),
        expect: [303, 200, 200, 200, 403, 403],
      },
      {
        name: "a French campaign's page",
        request: async () => ({ method: 'GET', url: `/app/campaigns/${await someCampaign('FR')}` }),
        expect: [303, 200, 200, 404, 403, 403],
      },
    ],
    'GET /app/reports': [
      {
        name: 'the reports page',
        request: async () => ({ method: 'GET', url: '/app/reports' }),
        expect: [303, 200, 200, 200, 403, 200],
      },
    ],
    'GET /app/assessments/:id': perCountry(
      'the questionnaire page',
      async (c) => ({ method: 'GET', url: `/app/assessments/${c.assessmentId}` }),
      [303, 200, 200, 200, 200, 200],
      [303, 200, 200, 404, 404, 200],
    ),
    'GET /app/notifications': [
      {
        name: 'the delivery log page',
        request: async () => ({ method: 'GET', url: '/app/notifications' }),
        expect: [303, 200, 200, 200, 200, 403],
      },
    ],
    'GET /app/audit': [
      {
        name: 'the audit trail page',
        request: async () => ({ method: 'GET', url: '/app/audit' }),
        expect: [303, 200, 200, 200, 200, 403],
      },
    ],
    'GET /app/audit.csv': [
      {
        name: 'the audit trail as CSV',
        request: async () => ({ method: 'GET', url: '/app/audit.csv' }),
        expect: [303, 200, 200, 200, 200, 403],
      },
    ],
    // The pages' forms: the same writes as the API's, answered as a browser is (303 back to the
    // page, or the page again with the refusal's status); signed out, to sign-in.
    'POST /app/countries/:code/programmes/:id/transitions': perCountry(
      'request the next phase on the page (the gate refuses, after access is granted)',
      async (c) => ({
        method: 'POST',
        url: `/app/countries/${c.code}/programmes/${c.programmeId}/transitions`,
        body: { toPhase: 'planning' },
      }),
      [303, 422, 422, 403, 422, 403],
      [303, 422, 422, 403, 404, 403],
    ),
    'POST /app/countries/:code/programmes/:id/status-updates': perCountry(
      'post a status update on the page',
      async (c) => ({
        method: 'POST',
        url: `/app/countries/${c.code}/programmes/${c.programmeId}/status-updates`,
        body: { health: 'on_track', summary: 'All good' },
      }),
      [303, 303, 303, 403, 303, 403],
      [303, 303, 303, 403, 404, 403],
    ),
    'POST /app/countries/:code/programmes/:id/milestones': perCountry(
      'add a milestone on the page',
      async (c) => ({
        method: 'POST',
        url: `/app/countries/${c.code}/programmes/${c.programmeId}/milestones`,
        body: { phase: 'readiness_assessment', title: 'Extra', dueDate: '2027-05-01' },
      }),
      [303, 303, 303, 403, 303, 403],
      [303, 303, 303, 403, 404, 403],
      [303, 303, 303, 403, 404, 403],
    ),
    'POST /app/countries/:code/programmes/:id/milestones/:milestoneId': perCountry(
      'edit a milestone on the page',
      async (c) => ({
        method: 'POST',
        url: `/app/countries/${c.code}/programmes/${c.programmeId}/milestones/${c.milestoneId}`,
        body: {
          version: String(await version('milestones', c.milestoneId)),
          title: `Milestone ${(unique += 1)}`,
          dueDate: '2027-05-01',
        },
      }),
      [303, 303, 303, 403, 303, 403],
      [303, 303, 303, 403, 404, 403],
    ),
    'POST /app/countries/:code/programmes/:id/milestones/:milestoneId/status': perCountry(
      "set a milestone's status on the page",
      async (c) => ({
        method: 'POST',
        url: `/app/countries/${c.code}/programmes/${c.programmeId}/milestones/${c.milestoneId}/status`,
        body: {
          version: String(await version('milestones', c.milestoneId)),
          status: 'in_progress',
        },
      }),
      [303, 303, 303, 403, 303, 403],
      [303, 303, 303, 403, 404, 403],
    ),
    'POST /app/countries/:code/programmes/:id/documents/:kind': perCountry(
      'upload a document on the page',
      async (c) => ({
        method: 'POST',
        url: `/app/countries/${c.code}/programmes/${c.programmeId}/documents/other`,
        form: { title: `Page minutes ${(unique += 1)}` },
      }),
      [303, 303, 303, 403, 303, 403],
      [303, 303, 303, 403, 404, 403],
    ),
    'POST /app/countries/:code/programmes/:id/documents/:documentId/delete': [
      ...perCountry(
        'delete a document on the page',
        async (c) => ({
          method: 'POST',
          url: `/app/countries/${c.code}/programmes/${c.programmeId}/documents/${(await someDocument(c)).id}/delete`,
        }),
        [303, 303, 303, 403, 403, 403],
        [303, 303, 303, 403, 403, 403],
      ),
      {
        name: "delete France's document at the address of Kenya's programme",
        request: async () => ({
          method: 'POST',
          url: `/app/countries/KE/programmes/${kenya.programmeId}/documents/${(await someDocument(france)).id}/delete`,
        }),
        expect: [303, 404, 404, 403, 403, 403],
      },
    ],
    'POST /app/countries/:code/stakeholders': perCountry(
      'add a stakeholder on the page',
      async (c) => ({
        method: 'POST',
        url: `/app/countries/${c.code}/stakeholders`,
        body: { name: 'New', email: `page.${(unique += 1)}@example.org`, role: 'donor' },
      }),
      [303, 303, 303, 403, 303, 403],
      [303, 303, 303, 403, 404, 403],
    ),
    'POST /app/countries/:code/stakeholders/:stakeholderId': [
      ...perCountry(
        'edit a stakeholder on the page',
        async (c) => ({
          method: 'POST',
          url: `/app/countries/${c.code}/stakeholders/${c.stakeholderId}`,
          body: { organisation: `Org ${(unique += 1)}`, notify: 'false' },
        }),
        [303, 303, 303, 403, 303, 403],
        [303, 303, 303, 403, 404, 403],
      ),
      {
        name: "edit France's stakeholder at Kenya's address",
        request: async () => ({
          method: 'POST',
          url: `/app/countries/KE/stakeholders/${france.stakeholderId}`,
          body: { organisation: 'Moved' },
        }),
        expect: [303, 404, 404, 403, 404, 403],
      },
    ],
    'POST /app/countries/:code/stakeholders/:stakeholderId/remove': perCountry(
      'remove a stakeholder on the page',
      async (c) => ({
        method: 'POST',
        url: `/app/countries/${c.code}/stakeholders/${(await createStakeholder(t, staff.admin, c.code)).id}/remove`,
      }),
      [303, 303, 303, 403, 303, 403],
      [303, 303, 303, 403, 404, 403],
    ),
    'GET /app/programmes/new': [
      {
        name: 'the page that starts a programme',
        request: async () => ({ method: 'GET', url: '/app/programmes/new' }),
        expect: [303, 200, 200, 403, 403, 403],
      },
    ],
    'POST /app/programmes/new': [
      {
        name: 'start a programme on the page',
        request: async () => ({
          method: 'POST',
          url: '/app/programmes/new',
          body: { countryCode: 'KE', cirtType: 'sectoral', sector: `page ${(unique += 1)}` },
        }),
        expect: [303, 303, 303, 403, 403, 403],
      },
    ],
    'POST /app/countries/:code/programmes/:id/edit': perCountry(
      'retitle a programme on the page',
      async (c) => ({
        method: 'POST',
        url: `/app/countries/${c.code}/programmes/${c.programmeId}/edit`,
        body: {
          version: String(await version('programmes', c.programmeId)),
          title: `Title ${(unique += 1)}`,
        },
      }),
      [303, 303, 303, 403, 403, 403],
      [303, 303, 303, 403, 403, 403],
    ),
    'POST /app/countries/:code/programmes/:id/hold': perCountry(
      'put a programme on hold on the page',
      async (c) => {
        const { id, version: read } = await createProgramme(t, staff.admin, {
          countryCode: c.code,
        });
        return {
          method: 'POST',
          url: `/app/countries/${c.code}/programmes/${id}/hold`,
          body: { version: String(read), status: 'on_hold', holdReason: 'funding' },
        };
      },
      [303, 303, 303, 403, 403, 403],
      [303, 303, 303, 403, 403, 403],
    ),
    'POST /app/countries/:code/programmes/:id/resume': perCountry(
      'resume a programme on hold on the page',
      async (c) => {
        const { id } = await createProgramme(t, staff.admin, { countryCode: c.code });
        await t.dataSource.query(
          `UPDATE programmes SET status = 'on_hold', hold_reason = 'funding' WHERE id = $1`,
          [id],
        );
        return {
          method: 'POST',
          url: `/app/countries/${c.code}/programmes/${id}/resume`,
          body: { version: String(await version('programmes', id)), status: 'active' },
        };
      },
      [303, 303, 303, 403, 403, 403],
      [303, 303, 303, 403, 403, 403],
    ),
    'POST /app/countries/:code/programmes/:id/cancel': perCountry(
      'cancel a programme on the page',
      async (c) => {
        const { id, version: read } = await createProgramme(t, staff.admin, {
          countryCode: c.code,
        });
        return {
          method: 'POST',
          url: `/app/countries/${c.code}/programmes/${id}/cancel`,
          body: { version: String(read), status: 'cancelled' },
        };
      },
      [303, 303, 303, 403, 403, 403],
      [303, 303, 303, 403, 403, 403],
    ),
    'POST /app/countries/:code/programmes/:id/assessments': perCountry(
      'start an assessment on the page',
      async (c) => {
        const { id } = await createProgramme(t, staff.admin, { countryCode: c.code });
        return {
          method: 'POST',
          url: `/app/countries/${c.code}/programmes/${id}/assessments`,
          body: { templateKey: 'cirt-maturity' },
        };
      },
      [303, 303, 303, 403, 303, 403],
      [303, 303, 303, 403, 404, 403],
    ),
    'POST /app/assessments/:id/responses/:indicatorKey': perCountry(
      'answer an indicator on the page',
      async (c) => {
        const programme = await createProgramme(t, staff.admin, { countryCode: c.code });
        const { id } = await createAssessment(t, staff.admin, programme.id);
        return { method: 'POST', url: `/app/assessments/${id}/responses/A1`, body: { level: '2' } };
      },
      [303, 303, 303, 403, 303, 403],
      [303, 303, 303, 403, 404, 403],
    ),
    'POST /app/assessments/:id/submit': perCountry(
      'submit an assessment on the page',
      async (c) => {
        const programme = await createProgramme(t, staff.admin, { countryCode: c.code });
        const { id } = await createAssessment(t, staff.admin, programme.id, 'answered');
        return { method: 'POST', url: `/app/assessments/${id}/submit` };
      },
      [303, 303, 303, 403, 303, 403],
      [303, 303, 303, 403, 404, 403],
    ),
    'POST /app/assessments/:id/validate': perCountry(
      'validate an assessment on the page',
      async (c) => {
        const programme = await createProgramme(t, staff.admin, { countryCode: c.code });
        const { id } = await createAssessment(t, staff.admin, programme.id, 'submitted');
        return { method: 'POST', url: `/app/assessments/${id}/validate` };
      },
      [303, 303, 303, 403, 403, 403],
      [303, 303, 303, 403, 403, 403],
    ),
    'POST /app/assessments/:id/return': perCountry(
      'return an assessment on the page',
      async (c) => {
        const programme = await createProgramme(t, staff.admin, { countryCode: c.code });
        const { id } = await createAssessment(t, staff.admin, programme.id, 'submitted');
        return {
          method: 'POST',
          url: `/app/assessments/${id}/return`,
          body: { note: 'Add evidence' },
        };
      },
      [303, 303, 303, 403, 403, 403],
      [303, 303, 303, 403, 403, 403],
    ),
    'POST /app/queue/transitions/:id/approve': [
      {
        name: "approve Kenya's request (the team's) in the queue",
        request: async () => ({
          method: 'POST',
          url: `/app/queue/transitions/${(await createPendingTransition(t, staff.admin, staff.national_team, 'KE')).id}/approve`,
        }),
        expect: [303, 303, 303, 303, 403, 403],
      },
      {
        name: "approve France's request (the ITU PM's own) in the queue",
        request: async () => ({
          method: 'POST',
          url: `/app/queue/transitions/${(await createPendingTransition(t, staff.admin, staff.itu_pm, 'FR')).id}/approve`,
        }),
        expect: [303, 303, 403, 404, 403, 403],
      },
    ],
    'POST /app/queue/transitions/:id/reject': [
      {
        name: "reject Kenya's request (the team's) in the queue",
        request: async () => ({
          method: 'POST',
          url: `/app/queue/transitions/${(await createPendingTransition(t, staff.admin, staff.national_team, 'KE')).id}/reject`,
          body: { note: 'Not yet' },
        }),
        expect: [303, 303, 303, 303, 403, 403],
      },
    ],
    'POST /app/campaigns/preview': [
      {
        name: 'preview a campaign in Kenya',
        request: async () => ({
          method: 'POST',
          url: '/app/campaigns/preview',
          body: { ...(await campaignBody('KE')), countryCodes: undefined, 'countryCodes[]': 'KE' },
        }),
        expect: [303, 200, 200, 200, 403, 403],
      },
      {
        name: 'preview a campaign in France',
        request: async () => ({
          method: 'POST',
          url: '/app/campaigns/preview',
          body: { ...(await campaignBody('FR')), countryCodes: undefined, 'countryCodes[]': 'FR' },
        }),
        expect: [303, 200, 200, 403, 403, 403],
      },
    ],
    'POST /app/campaigns': [
      {
        name: 'launch a campaign in Kenya on the page',
        request: async () => ({
          method: 'POST',
          url: '/app/campaigns',
          body: { ...(await campaignBody('KE')), countryCodes: undefined, 'countryCodes[]': 'KE' },
        }),
        expect: [303, 303, 303, 303, 403, 403],
      },
      {
        name: 'launch a campaign in France on the page',
        request: async () => ({
          method: 'POST',
          url: '/app/campaigns',
          body: { ...(await campaignBody('FR')), countryCodes: undefined, 'countryCodes[]': 'FR' },
        }),
        expect: [303, 303, 303, 403, 403, 403],
      },
    ],
    'POST /app/campaigns/:id/close': [
      {
        name: 'close a Kenyan campaign on the page',
        request: async () => ({
          method: 'POST',
          url: `/app/campaigns/${await someCampaign('KE')}/close`,
        }),
        expect: [303, 303, 303, 303, 403, 403],
      },
      {
        name: 'close a French campaign on the page',
        request: async () => ({
          method: 'POST',
          url: `/app/campaigns/${await someCampaign('FR')}/close`,
        }),
        expect: [303, 303, 303, 404, 403, 403],
      },
    ],
    'POST /app/reports': [
      {
        name: 'request a report on Africa on the page',
        request: async () => ({
          method: 'POST',
          url: '/app/reports',
          body: { 'scope.regionCode': 'AFR', 'formats[]': 'json' },
        }),
        expect: [303, 303, 303, 303, 403, 403],
      },
      {
        name: 'request a report on Europe on the page',
        request: async () => ({
          method: 'POST',
          url: '/app/reports',
          body: { 'scope.regionCode': 'EUR', 'formats[]': 'json' },
        }),
        expect: [303, 303, 303, 404, 403, 403],
      },
    ],
    'GET /app/report-schedules': [
      {
        name: 'the report schedules page',
        request: async () => ({ method: 'GET', url: '/app/report-schedules' }),
        expect: [303, 200, 200, 200, 403, 403],
      },
    ],
    'POST /app/report-schedules': [
      {
        name: 'schedule a report on Africa on the page',
        request: (caller) => scheduleForm(caller, 'AFR'),
        expect: [303, 303, 303, 303, 403, 403],
      },
      {
        name: 'schedule a report on Europe on the page',
        request: (caller) => scheduleForm(caller, 'EUR'),
        expect: [303, 303, 303, 404, 403, 403],
      },
    ],
    'POST /app/report-schedules/:id/pause': [
      {
        name: 'pause a schedule on Africa on the page',
        request: async () => ({
          method: 'POST',
          url: `/app/report-schedules/${await runningSchedule('AFR')}/pause`,
          body: { reason: 'Year-end break' },
        }),
        expect: [303, 303, 303, 403, 403, 403],
      },
    ],
    'POST /app/report-schedules/:id/resume': [
      {
        name: 'resume a paused schedule on Europe on the page',
        request: async () => ({
          method: 'POST',
          url: `/app/report-schedules/${await pausedEuropeanSchedule()}/resume`,
        }),
        expect: [303, 303, 303, 403, 403, 403],
      },
    ],
    'POST /app/report-schedules/:id/delete': [
      {
        name: 'delete a schedule on Africa on the page',
        request: async () => ({
          method: 'POST',
          url: `/app/report-schedules/${await runningSchedule('AFR')}/delete`,
        }),
        expect: [303, 303, 303, 303, 403, 403],
      },
      {
        name: 'delete a schedule on Europe on the page',
        request: async () => ({
          method: 'POST',
          url: `/app/report-schedules/${await runningSchedule('EUR')}/delete`,
        }),
        expect: [303, 303, 303, 404, 403, 403],
      },
    ],
    'POST /app/notifications/:id/retry': [
      {
        name: 'retry a dead notification on the page',
        request: async () => {
          const [row] = await t.dataSource.query(
            `INSERT INTO notifications (kind, channel, dedupe_key, recipient, subject, body_text, not_before, status, country_code)
             VALUES ('test', 'email', gen_random_uuid()::text, 'x@example.org', 's', 't', now(), 'dead', 'KE') RETURNING id`,
          );
          return { method: 'POST', url: `/app/notifications/${row.id}/retry` };
        },
        expect: [303, 303, 303, 403, 403, 403],
      },
    ],
    'POST /app/notifications/reminder-scan': [
      {
        name: 'run the reminder scan now on the page',
        request: async () => ({ method: 'POST', url: '/app/notifications/reminder-scan' }),
        expect: [303, 303, 303, 403, 403, 403],
      },
    ],
    'POST /app/notifications/test': [
      {
        name: 'send a test e-mail on the page (no mail server here: the page says so)',
        request: async () => ({
          method: 'POST',
          url: '/app/notifications/test',
          body: { email: 'test@example.org' },
        }),
        expect: [303, 200, 200, 403, 403, 403],
      },
    ],
    // User administration: an itu_pm reads everyone, creates and changes only the roles below its own.
    'GET /app/users': [
      {
        name: 'the users page',
        request: async () => ({ method: 'GET', url: '/app/users?role=observer' }),
        expect: [303, 200, 200, 403, 403, 403],
      },
    ],
    'GET /app/users/new': [
      {
        name: 'the new user page',
        request: async () => ({ method: 'GET', url: '/app/users/new' }),
        expect: [303, 200, 200, 403, 403, 403],
      },
    ],
    'POST /app/users/new': [
      {
        name: 'create an observer on the page',
        request: async () => ({
          method: 'POST',
          url: '/app/users/new',
          body: {
            email: `page.${(unique += 1)}@example.org`,
            displayName: 'New',
            role: 'observer',
            password: TEST_PASSWORD,
          },
        }),
        expect: [303, 303, 303, 403, 403, 403],
      },
      {
        name: 'create an itu_pm on the page',
        request: async () => ({
          method: 'POST',
          url: '/app/users/new',
          body: {
            email: `page.${(unique += 1)}@example.org`,
            displayName: 'New',
            role: 'itu_pm',
            password: TEST_PASSWORD,
          },
        }),
        expect: [303, 303, 403, 403, 403, 403],
      },
    ],
    'GET /app/users/:id': [
      {
        name: "an observer's page",
        request: async () => ({ method: 'GET', url: `/app/users/${staff.observer.id}` }),
        expect: [303, 200, 200, 403, 403, 403],
      },
    ],
    'POST /app/users/:id': [
      {
        name: 'rename an observer on the page',
        request: async () => ({
          method: 'POST',
          url: `/app/users/${staff.observer.id}`,
          body: { displayName: `Renamed ${(unique += 1)}` },
        }),
        expect: [303, 303, 303, 403, 403, 403],
      },
      {
        name: 'rename another itu_pm on the page',
        request: async () => ({
          method: 'POST',
          url: `/app/users/${(await createUser(t.dataSource, { role: 'itu_pm' })).id}`,
          body: { displayName: 'Renamed' },
        }),
        expect: [303, 303, 403, 403, 403, 403],
      },
    ],
    'POST /app/users/:id/password': [
      {
        name: "reset an observer's password on the page",
        request: async () => ({
          method: 'POST',
          url: `/app/users/${(await createUser(t.dataSource, { role: 'observer' })).id}/password`,
          body: { password: 'a new password for them' },
        }),
        expect: [303, 303, 303, 403, 403, 403],
      },
    ],
    'POST /app/users/:id/invitation': [
      {
        name: 'send an invited observer a new invitation on the page',
        request: async () => ({
          method: 'POST',
          url: `/app/users/${(await createInvitedUser(t, staff.admin)).id}/invitation`,
        }),
        expect: [303, 303, 303, 403, 403, 403],
      },
    ],
    'POST /app/users/:id/state': [
      {
        name: 'disable an observer on the page',
        request: async () => ({
          method: 'POST',
          url: `/app/users/${(await createUser(t.dataSource, { role: 'observer' })).id}/state`,
          body: { disabled: 'true' },
        }),
        expect: [303, 303, 303, 403, 403, 403],
      },
    ],
    'POST /app/users/:id/tokens/:tokenId/revoke': [
      {
        name: "revoke a user's API token on the page",
        request: async () => {
          const { userId, tokenId } = await anotherUsersToken();
          return { method: 'POST', url: `/app/users/${userId}/tokens/${tokenId}/revoke` };
        },
        expect: [303, 303, 403, 403, 403, 403],
      },
    ],
    'GET /app/account': [
      {
        name: 'the account page',
        request: async () => ({ method: 'GET', url: '/app/account' }),
        expect: [303, 200, 200, 200, 200, 200],
      },
    ],
    'POST /app/account/password': [
      {
        name: "change one's password on the page (the current one is wrong: nothing changes)",
        request: async () => ({
          method: 'POST',
          url: '/app/account/password',
          body: { currentPassword: 'not the password', newPassword: 'a long enough new one' },
        }),
        expect: [303, 400, 400, 400, 400, 400],
      },
    ],
    'POST /app/account/settings': [
      {
        name: "set one's language and time zone on the page (the zone is not one: nothing changes)",
        request: async () => ({
          method: 'POST',
          url: '/app/account/settings',
          body: { locale: 'fr', timezone: 'Mars/Olympus_Mons' },
        }),
        expect: [303, 400, 400, 400, 400, 400],
      },
    ],
    'POST /app/account/notifications': [
      {
        name: "set one's notification preferences on the page",
        request: async () => ({
          method: 'POST',
          url: '/app/account/notifications',
          body: { 'events.report_completed': 'daily_digest' },
        }),
        expect: [303, 303, 303, 303, 303, 303],
      },
    ],
    'POST /app/account/tokens': [
      {
        name: 'create an API token on the page (shown once, on the answer)',
        request: async () => ({
          method: 'POST',
          url: '/app/account/tokens',
          body: { name: 'from the page', expiresInDays: '30' },
        }),
        expect: [303, 201, 201, 201, 201, 201],
      },
    ],
    'POST /app/account/tokens/:tokenId/revoke': [
      {
        name: "revoke someone else's API token on the page (answered as not found)",
        request: async () => ({
          method: 'POST',
          url: `/app/account/tokens/${await someoneElsesToken()}/revoke`,
        }),
        expect: [303, 404, 404, 404, 404, 404],
      },
    ],
    'GET /health/live': [
      {
        name: 'liveness',
        request: async () => ({ method: 'GET', url: '/health/live' }),
        expect: ALL,
      },
    ],
    'GET /health/ready': [
      {
        name: 'readiness',
        request: async () => ({ method: 'GET', url: '/health/ready' }),
        expect: ALL,
      },
    ],
    'POST /api/v1/auth/login': [
      {
        name: 'sign in whatever token is sent',
        request: async () => ({
          method: 'POST',
          url: '/api/v1/auth/login',
          body: { email: staff.observer.email, password: TEST_PASSWORD },
        }),
        expect: ALL,
      },
    ],
    'GET /api/v1/auth/me': [
      {
        name: 'who am I',
        request: async () => ({ method: 'GET', url: '/api/v1/auth/me' }),
        expect: SIGNED_IN,
      },
    ],
    'GET /api/v1/auth/me/notification-preferences': [
      {
        name: 'own notification preferences',
        request: async () => ({ method: 'GET', url: '/api/v1/auth/me/notification-preferences' }),
        expect: SIGNED_IN,
      },
    ],
    'PUT /api/v1/auth/me/notification-preferences': [
      {
        name: 'set own notification preferences',
        request: async () => ({
          method: 'PUT',
          url: '/api/v1/auth/me/notification-preferences',
          body: { events: { milestone_blocked: 'daily_digest' } },
        }),
        expect: SIGNED_IN,
      },
    ],
    'GET /api/v1/auth/tokens': [
      {
        name: 'own tokens',
        request: async () => ({ method: 'GET', url: '/api/v1/auth/tokens' }),
        expect: SIGNED_IN,
      },
    ],
    'POST /api/v1/auth/tokens': [
      {
        name: 'create a token',
        request: async () => ({
          method: 'POST',
          url: '/api/v1/auth/tokens',
          body: { name: 'script' },
        }),
        expect: [401, 201, 201, 201, 201, 201],
      },
    ],
    'DELETE /api/v1/auth/tokens/:id': [
      {
        name: 'revoke own token',
        request: async (caller) => ({
          method: 'DELETE',
          url: `/api/v1/auth/tokens/${await ownToken(caller)}`,
        }),
        expect: [401, 204, 204, 204, 204, 204],
      },
      {
        name: "revoke someone else's token",
        request: async () => ({
          method: 'DELETE',
          url: `/api/v1/auth/tokens/${await someoneElsesToken()}`,
        }),
        expect: [401, 404, 404, 404, 404, 404],
      },
    ],
    'POST /api/v1/auth/logout': [
      {
        name: 'sign out of the API',
        request: async () => ({ method: 'POST', url: '/api/v1/auth/logout' }),
        expect: [401, 204, 204, 204, 204, 204],
      },
    ],
    'PUT /api/v1/auth/me/password': [
      {
        name: 'change own password, with a wrong current one',
        request: async () => ({
          method: 'PUT',
          url: '/api/v1/auth/me/password',
          body: { currentPassword: 'not the password', newPassword: 'a new long password' },
        }),
        expect: [401, 400, 400, 400, 400, 400],
      },
    ],
    'PATCH /api/v1/auth/me': [
      {
        name: "set one's own language and time zone",
        request: async () => ({
          method: 'PATCH',
          url: '/api/v1/auth/me',
          body: { locale: 'en', timezone: 'Africa/Nairobi' },
        }),
        expect: [401, 200, 200, 200, 200, 200],
      },
    ],
    'GET /api/v1/users/:id/tokens': [
      {
        name: "list a user's API tokens",
        request: async () => ({
          method: 'GET',
          url: `/api/v1/users/${(await anotherUsersToken()).userId}/tokens`,
        }),
        expect: [401, 200, 403, 403, 403, 403],
      },
    ],
    'DELETE /api/v1/users/:id/tokens/:tokenId': [
      {
        name: "revoke a user's API token",
        request: async () => {
          const { userId, tokenId } = await anotherUsersToken();
          return { method: 'DELETE', url: `/api/v1/users/${userId}/tokens/${tokenId}` };
        },
        expect: [401, 204, 403, 403, 403, 403],
      },
    ],
    'GET /api/v1/users': [
      {
        name: 'list users',
        request: async () => ({ method: 'GET', url: '/api/v1/users' }),
        expect: STAFF_ADMINS,
      },
    ],
    'POST /api/v1/users': [
      {
        name: 'create an observer',
        request: async () => ({
          method: 'POST',
          url: '/api/v1/users',
          body: {
            email: `new.${(unique += 1)}@example.org`,
            displayName: 'New',
            role: 'observer',
            password: TEST_PASSWORD,
          },
        }),
        expect: [401, 201, 201, 403, 403, 403],
      },
    ],
    'GET /api/v1/users/:id': [
      {
        name: 'read a user',
        request: async () => ({ method: 'GET', url: `/api/v1/users/${staff.observer.id}` }),
        expect: STAFF_ADMINS,
      },
    ],
    'PATCH /api/v1/users/:id': [
      {
        name: 'rename a user',
        request: async () => ({
          method: 'PATCH',
          url: `/api/v1/users/${staff.observer.id}`,
          body: { displayName: `Renamed ${(unique += 1)}` },
        }),
        expect: STAFF_ADMINS,
      },
      {
        name: 'disable another itu_pm',
        request: async () => ({
          method: 'PATCH',
          url: `/api/v1/users/${(await createUser(t.dataSource, { role: 'itu_pm' })).id}`,
          body: { disabled: true },
        }),
        expect: [401, 200, 403, 403, 403, 403],
      },
    ],
    // Invitations: anyone with a link's token (it is the credential); a new one sent by the admins.
    'POST /api/v1/users/:id/invitation': [
      {
        name: 'send an invited observer a new invitation',
        request: async () => ({
          method: 'POST',
          url: `/api/v1/users/${(await createInvitedUser(t, staff.admin)).id}/invitation`,
        }),
        expect: [401, 202, 202, 403, 403, 403],
      },
      {
        name: 'send an invited itu_pm a new invitation',
        request: async () => ({
          method: 'POST',
          url: `/api/v1/users/${(await createInvitedUser(t, staff.admin, { role: 'itu_pm' })).id}/invitation`,
        }),
        expect: [401, 202, 403, 403, 403, 403],
      },
    ],
    'POST /api/v1/auth/invitations/accept': [
      {
        name: 'accept an invitation whatever token is sent',
        request: async () => ({
          method: 'POST',
          url: '/api/v1/auth/invitations/accept',
          body: {
            token: (await createInvitedUser(t, staff.admin)).token,
            newPassword: TEST_PASSWORD,
          },
        }),
        expect: [204, 204, 204, 204, 204, 204],
      },
    ],
    'GET /api/v1/regions': [
      {
        name: 'regions',
        request: async () => ({ method: 'GET', url: '/api/v1/regions' }),
        expect: SIGNED_IN,
      },
    ],
    'GET /api/v1/countries': [
      {
        name: 'countries',
        request: async () => ({ method: 'GET', url: '/api/v1/countries' }),
        expect: SIGNED_IN,
      },
    ],
    'GET /api/v1/countries/:code': [
      {
        name: 'own country',
        request: async () => ({ method: 'GET', url: '/api/v1/countries/KE' }),
        expect: SIGNED_IN,
      },
      {
        name: 'a country of another region (reference data is not scoped)',
        request: async () => ({ method: 'GET', url: '/api/v1/countries/FR' }),
        expect: SIGNED_IN,
      },
    ],
  };
}

/** Routes that Fastify serves outside our controllers: the OpenAPI page and its files. */
const DOCUMENTATION = /^\/api\/docs(-json|-yaml)?(\/|$)/;

/** Collects "METHOD /path" of each route Fastify registers; give `onRoute` to startTestApp. */
export function routeRecorder() {
  const routes = new Set<string>();
  return {
    routes,
    onRoute: ({ method, url }: { method: string | string[]; url: string }) => {
      for (const verb of [method].flat()) {
        if (verb !== 'HEAD' && !DOCUMENTATION.test(url)) routes.add(`${verb} ${url}`);
      }
    },
  };
}

/** Controller methods with no access rule of their own or of their controller. */
export function undeclaredAccessRules(app: INestApplication): string[] {
  const undeclared: string[] = [];
  for (const module of app.get(ModulesContainer).values()) {
    for (const controller of module.controllers.values()) {
      const type = controller.metatype!;
      const prototype = type.prototype;
      for (const name of Object.getOwnPropertyNames(prototype)) {
        const handler = prototype[name];
        if (
          typeof handler !== 'function' ||
          Reflect.getMetadata(METHOD_METADATA, handler) === undefined
        )
          continue;
        const rule =
          Reflect.getMetadata(ACCESS_RULE, handler) ?? Reflect.getMetadata(ACCESS_RULE, type);
        if (!rule)
          undeclared.push(
            `${controller.name}.${name} (${Reflect.getMetadata(PATH_METADATA, handler)})`,
          );
      }
    }
  }
  return undeclared;
}

/** Sends each case of the table as each caller; answers every status that differs from the table. */
export async function accessMismatches(
  t: TestApp,
  staff: Staff,
  table: Record<string, Case[]>,
): Promise<string[]> {
  const mismatches: string[] = [];
  for (const [route, cases] of Object.entries(table)) {
    for (const testCase of cases) {
      for (const [index, caller] of CALLERS.entries()) {
        const request = await testCase.request(caller);
        const form = request.form
          ? await multipartForm(request.form, { name: 'deliverable.pdf', content: tinyPdf() })
          : undefined;
        const response = await t.app.inject({
          method: request.method,
          url: request.url,
          payload: form?.payload ?? request.body,
          headers: {
            ...form?.headers,
            ...(caller === 'anonymous' ? {} : bearer(await t.tokenFor(staff[caller]))),
          },
        });
        if (response.statusCode !== testCase.expect[index]) {
          mismatches.push(
            `${route} (${testCase.name}) as ${caller}: ${response.statusCode}, expected ${testCase.expect[index]} ${response.body.slice(0, 200)}`,
          );
        }
      }
    }
  }
  return mismatches;
}
