import { createAssessment } from './assessments.js';
import { uploadDocument } from './documents.js';
import type { TestUser } from './users.js';
import { type TestApp, client } from '../support/test-app.js';

let sequence = 0;

/** A programme made through the API, as an administrator would, with its default milestones. */
export async function createProgramme(
  t: TestApp,
  admin: TestUser,
  values: { countryCode: string; cirtType?: string; sector?: string },
): Promise<{ id: string; version: number; countryCode: string }> {
  const cirtType = values.cirtType ?? 'sectoral';
  const response = await client(t, admin)('POST', '/api/v1/programmes', {
    countryCode: values.countryCode,
    cirtType,
    ...(cirtType === 'sectoral' ? { sector: values.sector ?? `sector ${(sequence += 1)}` } : {}),
  });
  if (response.statusCode !== 201) throw new Error(`createProgramme: ${response.body}`);
  return response.json();
}

export async function createStakeholder(
  t: TestApp,
  admin: TestUser,
  countryCode: string,
  values: { role?: string; email?: string } = {},
): Promise<{ id: string }> {
  const response = await client(t, admin)('POST', `/api/v1/countries/${countryCode}/stakeholders`, {
    name: 'Test Stakeholder',
    email: values.email ?? `stakeholder.${(sequence += 1)}@example.org`,
    role: values.role ?? 'national_focal_point',
  });
  if (response.statusCode !== 201) throw new Error(`createStakeholder: ${response.body}`);
  return response.json();
}

export async function firstMilestone(t: TestApp, admin: TestUser, programmeId: string) {
  const response = await client(t, admin)('GET', `/api/v1/programmes/${programmeId}/milestones`);
  return response.json().items[0] as { id: string; version: number };
}

/** A programme in readiness assessment whose gate holds, with a pending request to plan. */
export async function createPendingTransition(
  t: TestApp,
  admin: TestUser,
  requester: TestUser,
  countryCode: string,
): Promise<{ id: string; programmeId: string }> {
  const programme = await createProgramme(t, admin, { countryCode });
  await createAssessment(t, admin, programme.id, 'validated');
  await t.dataSource.query(
    `UPDATE milestones SET status = 'done', completed_at = now() WHERE programme_id = $1`,
    [programme.id],
  );
  for (const role of ['national_focal_point', 'host_approver']) {
    await createStakeholder(t, admin, countryCode, { role });
  }
  await uploadDocument(t, admin, programme.id, 'assessment_report');
  const requested = await client(t, requester)(
    'POST',
    `/api/v1/programmes/${programme.id}/transitions`,
    {
      toPhase: 'planning',
    },
  );
  if (requested.statusCode !== 201) throw new Error(`createPendingTransition: ${requested.body}`);
  return { id: requested.json().id, programmeId: programme.id };
}
