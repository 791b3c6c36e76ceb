import { readFileSync } from 'node:fs';
import type { TestUser } from './users.js';
import { type TestApp, client } from '../support/test-app.js';

const READINESS = JSON.parse(
  readFileSync('src/assessments/templates/itu-ncirt-readiness-1.0.0.json', 'utf8'),
) as { areas: { key: string; indicators: { key: string }[] }[] };

/** Every indicator key of itu-ncirt-readiness 1.0.0, in questionnaire order. */
export const READINESS_KEYS = READINESS.areas.flatMap((area) => area.indicators.map((i) => i.key));

/** An assessment at the wanted stage, answered straight into the database (all level 3, with evidence). */
export async function createAssessment(
  t: TestApp,
  admin: TestUser,
  programmeId: string,
  stage: 'draft' | 'answered' | 'submitted' | 'validated' = 'draft',
  levels: (key: string) => number | null = () => 3,
): Promise<{ id: string }> {
  const as = client(t, admin);
  const created = await as('POST', `/api/v1/programmes/${programmeId}/assessments`, {
    templateKey: 'itu-ncirt-readiness',
    templateVersion: '1.0.0',
  });
  if (created.statusCode !== 201) throw new Error(`createAssessment: ${created.body}`);
  const { id } = created.json();
  if (stage === 'draft') return { id };
  for (const key of READINESS_KEYS) {
    const level = levels(key);
    await t.dataSource.query(
      `INSERT INTO assessment_responses (assessment_id, indicator_key, level, na_reason, evidence, updated_by)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [id, key, level, level === null ? 'not relevant' : null, JSON.stringify(['doc-1']), admin.id],
    );
  }
  if (stage === 'answered') return { id };
  const submitted = await as('POST', `/api/v1/assessments/${id}/submit`);
  if (submitted.statusCode !== 200) throw new Error(`createAssessment: ${submitted.body}`);
  if (stage === 'submitted') return { id };
  const validated = await as('POST', `/api/v1/assessments/${id}/validate`);
  if (validated.statusCode !== 200) throw new Error(`createAssessment: ${validated.body}`);
  return { id };
}
