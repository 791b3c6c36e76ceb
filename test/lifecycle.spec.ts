import { createAssessment } from './factories/assessments.js';
import { uploadDocument } from './factories/documents.js';
import { createProgramme, createStakeholder } from './factories/programmes.js';
import { type Staff, createStaff, createUser } from './factories/users.js';
import { type TestApp, client, controlClock, startTestApp } from './support/test-app.js';

describe('the programme lifecycle', () => {
  let t: TestApp;
  let staff: Staff;
  let clock: { current: Date };

  beforeAll(async () => {
    t = await startTestApp();
    staff = await createStaff(t.dataSource);
    clock = controlClock(t, '2026-01-05T09:00:00Z');
  });
  afterAll(() => t.close());

  const rowCounts = async () =>
    (
      await t.dataSource.query(`SELECT
        (SELECT count(*)::int FROM phase_transitions) AS transitions,
        (SELECT count(*)::int FROM milestones) AS milestones,
        (SELECT count(*)::int FROM audit_events) AS audit,
        (SELECT string_agg(phase || ':' || version, ',' ORDER BY id) FROM programmes) AS programmes`)
    )[0];

  it('should walk one programme through all five phases over HTTP, each gate refusing first', async () => {
    const admin = client(t, staff.admin);
    const team = client(t, staff.national_team);
    const pm = client(t, staff.itu_pm);
    const coordinator = client(t, staff.regional_coordinator);
    const days = (n: number) =>
      (clock.current = new Date(clock.current.getTime() + n * 86_400_000));

    const programme = (
      await admin('POST', '/api/v1/programmes', { countryCode: 'KE', cirtType: 'national' })
    ).json();
    const request = (toPhase: string) =>
      team('POST', `/api/v1/programmes/${programme.id}/transitions`, { toPhase });
    const closeMilestones = async () => {
      const open = (
        await team('GET', `/api/v1/programmes/${programme.id}/milestones?pageSize=200`)
      ).json().items;
      for (const milestone of open.filter((m: { status: string }) => m.status !== 'done')) {
        const done = await team('PATCH', `/api/v1/milestones/${milestone.id}`, {
          version: milestone.version,
          status: 'done',
        });
        expect(done.statusCode).toBe(200);
      }
    };
    const answerAll = async (templateKey: string) => {
      const created = (
        await team('POST', `/api/v1/programmes/${programme.id}/assessments`, { templateKey })
      ).json();
      const template = (
        await team('GET', `/api/v1/assessment-templates/${templateKey}/1.0.0`)
      ).json();
      for (const area of template.areas) {
        for (const indicator of area.indicators) {
          await team('PUT', `/api/v1/assessments/${created.id}/responses/${indicator.key}`, {
            level: 3,
            evidence: ['Signed minutes'],
          });
        }
      }
      expect((await team('POST', `/api/v1/assessments/${created.id}/submit`)).statusCode).toBe(200);
      expect((await pm('POST', `/api/v1/assessments/${created.id}/validate`)).statusCode).toBe(200);
    };
    const approve = async (transitionId: string, by: typeof pm) => {
      const approved = await by('POST', `/api/v1/transitions/${transitionId}/approve`, {
        note: 'Agreed',
      });
      expect(approved.statusCode).toBe(200);
      expect(approved.json()).toMatchObject({
        status: 'approved',
        gateAtDecision: { passed: true },
      });
    };

    // readiness_assessment -> planning
    days(10);
    const first = await request('planning');
    expect(first.statusCode).toBe(422);
    expect(first.json().code).toBe('gate_failed');
    expect(first.json().errors).toEqual([
      {
        field: 'readiness_assessment_validated',
        code: 'readiness_assessment_validated',
        message: 'No readiness assessment of this programme is validated yet',
      },
      {
        field: 'assessment_report_uploaded',
        code: 'assessment_report_uploaded',
        message: 'No readiness assessment report has been uploaded to this programme',
      },
      {
        field: 'phase_milestones_closed',
        code: 'phase_milestones_closed',
        message:
          '5 milestones of phase readiness_assessment are still open: Focal point and host institution confirmed; ' +
          'Readiness questionnaire completed; Assessment mission or workshop held; Assessment report delivered to the host; ' +
          'Decision to proceed recorded',
      },
      {
        field: 'focal_point_present',
        code: 'focal_point_present',
        message: 'KE has no national focal point among its stakeholders',
      },
      {
        field: 'host_approver_present',
        code: 'host_approver_present',
        message: 'KE has no host approver among its stakeholders',
      },
    ]);
    await answerAll('itu-ncirt-readiness');
    await closeMilestones();
    for (const role of ['national_focal_point', 'host_approver']) {
      const added = await team('POST', '/api/v1/countries/KE/stakeholders', {
        name: `The ${role}`,
        email: `${role}@example.go.ke`,
        role,
      });
      expect(added.statusCode).toBe(201);
    }
    await uploadDocument(t, staff.national_team, programme.id, 'assessment_report');
    const toPlanning = await request('planning');
    expect(toPlanning.statusCode).toBe(201);
    expect(toPlanning.json()).toMatchObject({
      status: 'pending',
      fromPhase: 'readiness_assessment',
      toPhase: 'planning',
      gate: { passed: true },
    });
    expect(toPlanning.json().gate.checks).toHaveLength(5);
    const detail = (await pm('GET', `/api/v1/programmes/${programme.id}`)).json();
    expect(detail.pendingTransition).toMatchObject({
      id: toPlanning.json().id,
      toPhase: 'planning',
    });
    await approve(toPlanning.json().id, coordinator);
    expect((await pm('GET', `/api/v1/programmes/${programme.id}`)).json()).toMatchObject({
      phase: 'planning',
      milestonesTotal: 11,
      milestonesDone: 5,
      pendingTransition: null,
    });

    // planning -> implementation, implementation -> operation: the phase's deliverable and its
    // milestones gate them
    for (const [from, to, count, deliverable] of [
      ['planning', 'implementation', 6, 'design_document'],
      ['implementation', 'operation', 6, 'operational_acceptance'],
    ] as const) {
      days(30);
      const refused = await request(to);
      expect(refused.statusCode).toBe(422);
      expect(refused.json().errors.map((e: { field: string }) => e.field)).toEqual([
        `${deliverable}_uploaded`,
        'phase_milestones_closed',
      ]);
      expect(refused.json().errors[1].message).toMatch(
        new RegExp(`^${count} milestones of phase ${from} are still open: `),
      );
      await uploadDocument(t, staff.national_team, programme.id, deliverable);
      await closeMilestones();
      const requested = await request(to);
      expect(requested.statusCode).toBe(201);
      await approve(requested.json().id, pm);
    }

    // operation -> maintenance: a maturity assessment validated since entering operation
    days(200);
    const refused = await request('maintenance');
    expect(refused.json().errors.map((e: { field: string }) => e.field)).toEqual([
      'maturity_assessment_validated',
      'phase_milestones_closed',
    ]);
    await answerAll('cirt-maturity');
    await closeMilestones();
    const last = await request('maintenance');
    expect(last.statusCode).toBe(201);
    await approve(last.json().id, coordinator);
    expect((await request('maintenance')).json().code).toBe('same_phase');

    days(1);
    const history = (await team('GET', `/api/v1/programmes/${programme.id}/history`)).json();
    expect(
      history.phases.map((p: { phase: string; days: number; leftAt: string | null }) => [
        p.phase,
        p.days,
        p.leftAt === null,
      ]),
    ).toEqual([
      ['readiness_assessment', 10, false],
      ['planning', 30, false],
      ['implementation', 30, false],
      ['operation', 200, false],
      ['maintenance', 1, true],
    ]);
    expect(
      history.events.filter((e: { action: string }) => e.action === 'programme.phase_changed'),
    ).toHaveLength(4);
    const transitions = (
      await team('GET', `/api/v1/programmes/${programme.id}/transitions`)
    ).json();
    expect(transitions.map((x: { toPhase: string }) => x.toPhase)).toEqual([
      'maintenance',
      'operation',
      'implementation',
      'planning',
    ]);
  });

  describe('decisions', () => {
    let programmeId: string;

    /** A programme in readiness assessment whose gate holds, with one pending request by `requester`. */
    async function pendingRequest(requester = staff.national_team, countryCode = 'KE') {
      const programme = await createProgramme(t, staff.admin, { countryCode });
      programmeId = programme.id;
      await createAssessment(t, staff.admin, programme.id, 'validated');
      await uploadDocument(t, staff.admin, programme.id, 'assessment_report');
      await t.dataSource.query(
        `UPDATE milestones SET status = 'done', completed_at = now() WHERE programme_id = $1`,
        [programme.id],
      );
      for (const role of ['national_focal_point', 'host_approver']) {
        await createStakeholder(t, staff.admin, countryCode, { role }).catch(() => undefined);
      }
      const requested = await client(t, requester)(
        'POST',
        `/api/v1/programmes/${programme.id}/transitions`,
        { toPhase: 'planning' },
      );
      expect(requested.statusCode).toBe(201);
      return requested.json().id as string;
    }

    it('should refuse self-approval with 403 and a coordinator of another region with 404', async () => {
      const id = await pendingRequest(staff.itu_pm);
      expect(
        (await client(t, staff.itu_pm)('POST', `/api/v1/transitions/${id}/approve`)).statusCode,
      ).toBe(403);
      const europe = await createUser(t.dataSource, {
        role: 'regional_coordinator',
        regionCode: 'EUR',
      });
      expect(
        (await client(t, europe)('POST', `/api/v1/transitions/${id}/approve`)).statusCode,
      ).toBe(404);
      expect(
        (await client(t, staff.national_team)('POST', `/api/v1/transitions/${id}/approve`))
          .statusCode,
      ).toBe(403);
      expect(
        (await client(t, staff.regional_coordinator)('POST', `/api/v1/transitions/${id}/approve`))
          .statusCode,
      ).toBe(200);
    });

    it('should answer 422 and change nothing when the gate no longer holds at approval', async () => {
      const id = await pendingRequest();
      const [milestone] = await t.dataSource.query(
        `SELECT id, version FROM milestones WHERE programme_id = $1 LIMIT 1`,
        [programmeId],
      );
      const reopened = await client(t, staff.national_team)(
        'PATCH',
        `/api/v1/milestones/${milestone.id}`,
        { version: milestone.version, status: 'in_progress' },
      );
      expect(reopened.statusCode).toBe(200);
      const before = await rowCounts();
      const refused = await client(t, staff.itu_pm)('POST', `/api/v1/transitions/${id}/approve`);
      expect(refused.statusCode).toBe(422);
      expect(refused.json().errors[0]).toMatchObject({ field: 'phase_milestones_closed' });
      expect(await rowCounts()).toEqual(before);
      const [transition] = await t.dataSource.query(
        `SELECT status FROM phase_transitions WHERE id = $1`,
        [id],
      );
      expect(transition.status).toBe('pending');
    });

    it('should let exactly one of two simultaneous approvals through', async () => {
      const id = await pendingRequest();
      const answers = await Promise.all([
        client(t, staff.itu_pm)('POST', `/api/v1/transitions/${id}/approve`),
        client(t, staff.admin)('POST', `/api/v1/transitions/${id}/approve`),
      ]);
      expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 409]);
      const [programme] = await t.dataSource.query(
        `SELECT phase, version FROM programmes WHERE id = $1`,
        [programmeId],
      );
      expect(programme).toEqual({ phase: 'planning', version: 2 });
      const planning = await t.dataSource.query(
        `SELECT count(*)::int AS n FROM milestones WHERE programme_id = $1 AND phase = 'planning'`,
        [programmeId],
      );
      expect(planning).toEqual([{ n: 6 }]);
    });

    it('should keep one pending transition when two requests arrive at the same moment', async () => {
      const programme = await createProgramme(t, staff.admin, { countryCode: 'KE' });
      await createAssessment(t, staff.admin, programme.id, 'validated');
      await uploadDocument(t, staff.admin, programme.id, 'assessment_report');
      await t.dataSource.query(
        `UPDATE milestones SET status = 'done', completed_at = now() WHERE programme_id = $1`,
        [programme.id],
      );
      const team = client(t, staff.national_team);
      const answers = await Promise.all([
        team('POST', `/api/v1/programmes/${programme.id}/transitions`, { toPhase: 'planning' }),
        client(t, staff.itu_pm)('POST', `/api/v1/programmes/${programme.id}/transitions`, {
          toPhase: 'planning',
        }),
      ]);
      expect(answers.map((a) => a.statusCode).sort()).toEqual([201, 409]);
      const pending = await t.dataSource.query(
        `SELECT count(*)::int AS n FROM phase_transitions WHERE programme_id = $1 AND status = 'pending'`,
        [programme.id],
      );
      expect(pending).toEqual([{ n: 1 }]);
    });

    it('should reject with a note, which is required', async () => {
      const id = await pendingRequest();
      expect(
        (await client(t, staff.itu_pm)('POST', `/api/v1/transitions/${id}/reject`, {})).statusCode,
      ).toBe(400);
      const rejected = await client(t, staff.itu_pm)('POST', `/api/v1/transitions/${id}/reject`, {
        note: 'Report first',
      });
      expect(rejected.json()).toMatchObject({ status: 'rejected', decisionNote: 'Report first' });
      expect(
        (await client(t, staff.admin)('POST', `/api/v1/transitions/${id}/approve`)).statusCode,
      ).toBe(409);
    });
  });

  describe('moves back', () => {
    it("should apply an ITU project manager's move back at once, with its reason, audited; refuse it to a team", async () => {
      const programme = await createProgramme(t, staff.admin, { countryCode: 'KE' });
      await t.dataSource.query(`UPDATE programmes SET phase = 'implementation' WHERE id = $1`, [
        programme.id,
      ]);
      const url = `/api/v1/programmes/${programme.id}/transitions`;
      expect(
        (await client(t, staff.national_team)('POST', url, { toPhase: 'planning', note: 'Redo' }))
          .statusCode,
      ).toBe(403);
      expect((await client(t, staff.itu_pm)('POST', url, { toPhase: 'planning' })).statusCode).toBe(
        400,
      );

      const back = await client(t, staff.itu_pm)('POST', url, {
        toPhase: 'planning',
        note: 'The design must be redone',
      });
      expect(back.statusCode).toBe(201);
      expect(back.json()).toMatchObject({
        status: 'approved',
        direction: 'backward',
        fromPhase: 'implementation',
        toPhase: 'planning',
        gate: null,
      });
      const [row] = await t.dataSource.query(`SELECT phase FROM programmes WHERE id = $1`, [
        programme.id,
      ]);
      expect(row.phase).toBe('planning');
      const events = await t.dataSource.query(
        `SELECT action, after ->> 'note' AS note FROM audit_events WHERE entity_id = $1 OR entity_id = $2 ORDER BY id`,
        [back.json().id, programme.id],
      );
      expect(events.map((e: { action: string }) => e.action)).toEqual([
        'programme.created',
        'transition.applied',
        'programme.phase_changed',
      ]);
      expect(events[1].note).toBe('The design must be redone');
    });

    it.each([
      ['an unknown phase', { toPhase: 'design' }],
      ['an unknown field', { toPhase: 'planning', urgent: true }],
      ['an overlong note', { toPhase: 'planning', note: 'x'.repeat(4001) }],
    ])('should answer 400 to a request with %s and write nothing', async (_case, body) => {
      const programme = await createProgramme(t, staff.admin, { countryCode: 'KE' });
      const before = await rowCounts();
      const response = await client(t, staff.itu_pm)(
        'POST',
        `/api/v1/programmes/${programme.id}/transitions`,
        body,
      );
      expect(response.statusCode).toBe(400);
      expect(await rowCounts()).toEqual(before);
    });
  });
});
