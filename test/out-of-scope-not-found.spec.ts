import { randomUUID } from 'node:crypto';
import { createAssessment } from './factories/assessments.js';
import {
  createPendingTransition,
  createProgramme,
  createStakeholder,
  firstMilestone,
} from './factories/programmes.js';
import { type Staff, type TestUser, createStaff } from './factories/users.js';
import { type HttpMethod, type TestApp, client, startTestApp } from './support/test-app.js';

/**
 * An object of a country outside the caller's scope must answer exactly as an id that does not
 * exist: same status, code, title and detail (which may name the id asked for, nothing else).
 */
describe('objects out of scope', () => {
  let t: TestApp;
  let staff: Staff;
  /** Uganda's objects: in the coordinator's region, outside the Kenyan team's country. */
  let uganda: {
    programmeId: string;
    milestoneId: string;
    stakeholderId: string;
    draftId: string;
    submittedId: string;
    notificationId: string;
  };
  /** Objects of Europe, outside the African coordinator's region. */
  let europe: { transitionId: string; reportId: string };

  beforeAll(async () => {
    t = await startTestApp();
    staff = await createStaff(t.dataSource);
    const programme = await createProgramme(t, staff.admin, { countryCode: 'UG' });
    const answered = await createProgramme(t, staff.admin, { countryCode: 'UG' });
    const [notification] = await t.dataSource.query(
      `INSERT INTO notifications (kind, channel, dedupe_key, recipient, subject, body_text, not_before, status, country_code)
       VALUES ('test', 'email', gen_random_uuid()::text, 'x@example.org', 's', 't', now(), 'dead', 'UG') RETURNING id`,
    );
    uganda = {
      notificationId: notification.id,
      programmeId: programme.id,
      milestoneId: (await firstMilestone(t, staff.admin, programme.id)).id,
      stakeholderId: (await createStakeholder(t, staff.admin, 'UG')).id,
      draftId: (await createAssessment(t, staff.admin, programme.id, 'draft')).id,
      submittedId: (await createAssessment(t, staff.admin, answered.id, 'submitted')).id,
    };
    const [report] = await t.dataSource.query(
      `INSERT INTO reports (scope, scope_key, formats)
       VALUES ('{"regionCode": "EUR"}', 'region:EUR', '{json}') RETURNING id`,
    );
    europe = {
      transitionId: (await createPendingTransition(t, staff.admin, staff.itu_pm, 'FR')).id,
      reportId: report.id,
    };
  });
  afterAll(() => t.close());

  /** The problem answered, with the id that was asked for and the request id left out. */
  async function problem(
    user: TestUser,
    method: HttpMethod,
    url: (id: string) => string,
    id: string,
    body?: object,
  ) {
    const response = await client(t, user)(method, url(id), body);
    const { requestId: _requestId, ...rest } = response.json();
    return JSON.parse(
      JSON.stringify({ status: response.statusCode, ...rest }).replaceAll(id, ':id'),
    );
  }

  type Route = [string, HttpMethod, (id: string) => string, () => string, object?];
  const routes = (): Route[] => [
    [
      'PATCH a milestone',
      'PATCH',
      (id) => `/api/v1/milestones/${id}`,
      () => uganda.milestoneId,
      { version: 1, title: 'Taken over' },
    ],
    [
      'answer an indicator',
      'PUT',
      (id) => `/api/v1/assessments/${id}/responses/A1`,
      () => uganda.draftId,
      { level: 2 },
    ],
    [
      'submit an assessment',
      'POST',
      (id) => `/api/v1/assessments/${id}/submit`,
      () => uganda.draftId,
    ],
    [
      'validate an assessment',
      'POST',
      (id) => `/api/v1/assessments/${id}/validate`,
      () => uganda.submittedId,
    ],
    [
      'return an assessment',
      'POST',
      (id) => `/api/v1/assessments/${id}/return`,
      () => uganda.submittedId,
      { note: 'No' },
    ],
    ['read an assessment', 'GET', (id) => `/api/v1/assessments/${id}`, () => uganda.submittedId],
    ['read a score', 'GET', (id) => `/api/v1/assessments/${id}/score`, () => uganda.submittedId],
    [
      'update a stakeholder',
      'PATCH',
      (id) => `/api/v1/stakeholders/${id}`,
      () => uganda.stakeholderId,
      { organisation: 'Taken over' },
    ],
    [
      'remove a stakeholder',
      'DELETE',
      (id) => `/api/v1/stakeholders/${id}`,
      () => uganda.stakeholderId,
    ],
    ['read a programme', 'GET', (id) => `/api/v1/programmes/${id}`, () => uganda.programmeId],
    [
      'list milestones',
      'GET',
      (id) => `/api/v1/programmes/${id}/milestones`,
      () => uganda.programmeId,
    ],
    [
      'add a milestone',
      'POST',
      (id) => `/api/v1/programmes/${id}/milestones`,
      () => uganda.programmeId,
      { phase: 'planning', title: 'X', dueDate: '2027-01-01' },
    ],
    [
      'list status updates',
      'GET',
      (id) => `/api/v1/programmes/${id}/status-updates`,
      () => uganda.programmeId,
    ],
    [
      'post a status update',
      'POST',
      (id) => `/api/v1/programmes/${id}/status-updates`,
      () => uganda.programmeId,
      { health: 'on_track', summary: 'X' },
    ],
    [
      'list assessments',
      'GET',
      (id) => `/api/v1/programmes/${id}/assessments`,
      () => uganda.programmeId,
    ],
    [
      'start an assessment',
      'POST',
      (id) => `/api/v1/programmes/${id}/assessments`,
      () => uganda.programmeId,
      { templateKey: 'cirt-maturity' },
    ],
    [
      'list transitions',
      'GET',
      (id) => `/api/v1/programmes/${id}/transitions`,
      () => uganda.programmeId,
    ],
    [
      'read the history',
      'GET',
      (id) => `/api/v1/programmes/${id}/history`,
      () => uganda.programmeId,
    ],
    [
      'request a transition',
      'POST',
      (id) => `/api/v1/programmes/${id}/transitions`,
      () => uganda.programmeId,
      { toPhase: 'planning' },
    ],
    [
      'retry a notification',
      'POST',
      (id) => `/api/v1/notifications/${id}/retry`,
      () => uganda.notificationId,
    ],
  ];

  it.each(routes().map(([name], index) => [name, index]))(
    "should answer the Kenyan team's attempt to %s of Uganda as for a random id",
    async (_name, index) => {
      const [, method, url, id, body] = routes()[index as number];
      const outOfScope = await problem(staff.national_team, method, url, id(), body);
      const random = await problem(staff.national_team, method, url, randomUUID(), body);
      expect(outOfScope).toEqual(random);
      expect(outOfScope.status).toBeGreaterThanOrEqual(403);
    },
  );

  it.each([
    ['approve', { note: 'Fine' }],
    ['reject', { note: 'Not yet' }],
  ])(
    "should answer the African coordinator's attempt to %s a European transition as for a random id",
    async (decision, body) => {
      const url = (id: string) => `/api/v1/transitions/${id}/${decision}`;
      const outOfScope = await problem(
        staff.regional_coordinator,
        'POST',
        url,
        europe.transitionId,
        body,
      );
      const random = await problem(staff.regional_coordinator, 'POST', url, randomUUID(), body);
      expect(outOfScope).toEqual(random);
      expect(outOfScope.status).toBe(404);
    },
  );

  it("should answer the African coordinator's read of a European report as for a random id", async () => {
    const url = (id: string) => `/api/v1/reports/${id}`;
    const outOfScope = await problem(staff.regional_coordinator, 'GET', url, europe.reportId);
    const random = await problem(staff.regional_coordinator, 'GET', url, randomUUID());
    expect(outOfScope).toEqual(random);
    expect(outOfScope.status).toBe(404);
  });
});
