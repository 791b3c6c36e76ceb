import { type ParsedMail, simpleParser } from 'mailparser';
import { PLAN } from '../src/milestones/milestone-title.js';
import { DigestService } from '../src/events/digest.service.js';
import { EVENT_KINDS } from '../src/events/event-kinds.js';
import { createAssessment } from './factories/assessments.js';
import { createProgramme } from './factories/programmes.js';
import { uploadDocument } from './factories/documents.js';
import { type Staff, type TestUser, createStaff, createUser } from './factories/users.js';
import { SmtpSink } from './support/smtp-sink.js';
import { type TestApp, client, controlClock, startTestApp } from './support/test-app.js';
import { waitFor } from './support/wait.js';

const PREFERENCES = '/api/v1/auth/me/notification-preferences';

describe('event notifications', () => {
  const sink = new SmtpSink();
  let t: TestApp;
  let staff: Staff;
  let clock: { current: Date };
  let frenchTeam: TestUser; // a second national team user of Kenya, who reads French
  let europeCoordinator: TestUser;
  let digestPm: TestUser; // an ITU PM in Tokyo who takes everything in a daily digest
  let silentPm: TestUser; // an ITU PM who turned everything off
  let programmeId: string;
  let transitionId: string;

  const all = (mode: string) => Object.fromEntries(EVENT_KINDS.map((kind) => [kind, mode]));
  const stakeholder = async (countryCode: string, role: string, email: string, locale = 'en') => {
    const response = await client(t, staff.admin)(
      'POST',
      `/api/v1/countries/${countryCode}/stakeholders`,
      { name: `${role} person`, email, role, locale },
    );
    expect(response.statusCode).toBe(201);
  };
  const mailsTo = (email: string): Promise<ParsedMail[]> =>
    Promise.all(
      sink.received.filter((mail) => mail.to.includes(email)).map((mail) => simpleParser(mail.raw)),
    );
  const subjectsTo = async (email: string) =>
    (await mailsTo(email)).map((mail) => mail.subject ?? '');
  /** The recipients the outbox holds for an event kind, once every one of them has been sent. */
  const sentTo = (kind: string) =>
    waitFor(`the ${kind} notifications to be sent`, async () => {
      const rows: { recipient: string; status: string }[] = await t.dataSource.query(
        `SELECT recipient, status FROM notifications WHERE kind = $1`,
        [`event.${kind}`],
      );
      return (
        rows.length > 0 &&
        rows.every((row) => row.status === 'sent') &&
        rows.map((row) => row.recipient).sort()
      );
    });

  beforeAll(async () => {
    await sink.start();
    t = await startTestApp({
      env: { PROCESS_ROLE: 'all', SMTP_URL: sink.url, OUTBOX_RELAY_INTERVAL_MS: '200' },
    });
    staff = await createStaff(t.dataSource);
    clock = controlClock(t, '2027-03-01T07:00:00Z'); // Monday, 10:00 in Nairobi, 16:00 in Tokyo
    frenchTeam = await createUser(t.dataSource, { role: 'national_team', countryCode: 'KE' });
    await t.dataSource.query(`UPDATE users SET locale = 'fr' WHERE id = $1`, [frenchTeam.id]);
    europeCoordinator = await createUser(t.dataSource, {
      role: 'regional_coordinator',
      regionCode: 'EUR',
    });
    digestPm = await createUser(t.dataSource, { role: 'itu_pm' });
    silentPm = await createUser(t.dataSource, { role: 'itu_pm' });
    const digest = await client(t, digestPm)('PUT', PREFERENCES, {
      events: all('daily_digest'),
      timezone: 'Asia/Tokyo',
    });
    expect(digest.statusCode).toBe(200);
    expect(digest.json()).toMatchObject({ timezone: 'Asia/Tokyo', digestTimezone: 'Asia/Tokyo' });
    expect((await client(t, silentPm)('PUT', PREFERENCES, { events: all('off') })).statusCode).toBe(
      200,
    );

    // A Kenyan programme whose readiness gate holds.
    programmeId = (await createProgramme(t, staff.admin, { countryCode: 'KE' })).id;
    await stakeholder('KE', 'national_focal_point', 'focal.ke@example.org');
    await stakeholder('KE', 'host_approver', 'host.ke@example.org');
    await stakeholder('KE', 'itu_project_manager', 'pm.ke@example.org', 'es');
    await stakeholder('GH', 'regional_coordinator', 'coordinator.gh@example.org');
    await createAssessment(t, staff.admin, programmeId, 'validated');
    await uploadDocument(t, staff.admin, programmeId, 'assessment_report');
    await t.dataSource.query(
      `UPDATE milestones SET status = 'done', completed_at = now() WHERE programme_id = $1`,
      [programmeId],
    );
  }, 60_000);
  afterAll(async () => {
    await t.close();
    await sink.stop();
  });

  it("should tell the coordinator of the region and the ITU PMs of a national team's request at once, and nobody elsewhere", async () => {
    const requested = await client(t, staff.national_team)(
      'POST',
      `/api/v1/programmes/${programmeId}/transitions`,
      { toPhase: 'planning', note: 'Ready to plan' },
    );
    expect(requested.statusCode).toBe(201);
    transitionId = requested.json().id;

    expect(await sentTo('transition_requested')).toEqual(
      [staff.regional_coordinator.email, staff.itu_pm.email, 'pm.ke@example.org'].sort(),
    );
    const [toCoordinator] = await mailsTo(staff.regional_coordinator.email);
    expect(toCoordinator.subject).toMatch(/^Phase change requested: /);
    expect(toCoordinator.text).toContain('to the “Planning” phase');
    expect(toCoordinator.text).toContain('Note: Ready to plan');
    expect(toCoordinator.text).toContain('http://localhost:3000/app/countries/KE');
    expect(await subjectsTo(staff.itu_pm.email)).toContainEqual(
      expect.stringMatching(/^Phase change requested: /),
    );
    expect(await subjectsTo('pm.ke@example.org')).toContainEqual(
      expect.stringMatching(/^Cambio de fase solicitado: /),
    );
    for (const nobody of [
      europeCoordinator.email,
      'coordinator.gh@example.org',
      staff.national_team.email,
      digestPm.email,
      silentPm.email,
    ]) {
      expect(await subjectsTo(nobody)).not.toContainEqual(expect.stringMatching(/Phase change/));
    }
  });

  it('should tell the requester, the national team and the focal point of the approval, with the note', async () => {
    const approved = await client(t, staff.regional_coordinator)(
      'POST',
      `/api/v1/transitions/${transitionId}/approve`,
      { note: 'Well prepared <b>work</b>' },
    );
    expect(approved.statusCode).toBe(200);

    expect(await sentTo('transition_approved')).toEqual(
      [staff.national_team.email, frenchTeam.email, 'focal.ke@example.org'].sort(),
    );
    for (const email of [staff.national_team.email, 'focal.ke@example.org']) {
      const mail = (await mailsTo(email)).find((m) =>
        m.subject?.startsWith('Phase change approved'),
      );
      expect(mail?.text).toContain('Note: Well prepared <b>work</b>');
      expect(mail?.html).toContain('Note: Well prepared &lt;b&gt;work&lt;/b&gt;');
    }
    expect(await subjectsTo(frenchTeam.email)).toContainEqual(
      expect.stringMatching(/^Changement de phase approuvé\u00a0: /),
    );
  });

  it('should write nothing when a request fails its gate', async () => {
    const unready = (await createProgramme(t, staff.admin, { countryCode: 'KE' })).id;
    const refused = await client(t, staff.national_team)(
      'POST',
      `/api/v1/programmes/${unready}/transitions`,
      { toPhase: 'planning' },
    );
    expect(refused.statusCode).toBe(422);
    const [{ n }] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM notifications WHERE programme_id = $1`,
      [unready],
    );
    expect(n).toBe(0);
    const [{ items }] = await t.dataSource.query(
      `SELECT count(*)::int AS items FROM digest_items WHERE url LIKE $1`,
      [`%${unready}%`],
    );
    expect(items).toBe(0);
  });

  it('should send a daily_digest user nothing at once and one digest of all the events the next morning where they are', async () => {
    const as = client(t, staff.national_team);
    const milestone = (
      await as('GET', `/api/v1/programmes/${programmeId}/milestones?status=planned`)
    ).json().items[0];
    // The ITU PM reads Spanish: the default plan's milestone comes under its Spanish title.
    await t.dataSource.query(`UPDATE users SET locale = 'es' WHERE id = $1`, [staff.itu_pm.id]);
    expect(
      (
        await as('PATCH', `/api/v1/milestones/${milestone.id}`, {
          version: milestone.version,
          status: 'blocked',
        })
      ).statusCode,
    ).toBe(200);
    expect(
      (
        await as('POST', `/api/v1/programmes/${programmeId}/status-updates`, {
          health: 'off_track',
          summary: 'The premises fell through',
        })
      ).statusCode,
    ).toBe(201);
    expect(await sentTo('milestone_blocked')).toEqual(
      [staff.itu_pm.email, staff.regional_coordinator.email].sort(),
    );
    await t.dataSource.query(`UPDATE users SET locale = 'en' WHERE id = $1`, [staff.itu_pm.id]);
    const plan = Object.values(PLAN)
      .flat()
      .find((item) => item.key === milestone.planKey)!;
    expect(await subjectsTo(staff.itu_pm.email)).toContain(`Hito bloqueado: ${plan.titles.es}`);
    expect(await subjectsTo(staff.regional_coordinator.email)).toContain(
      `Milestone blocked: ${plan.title}`,
    );
    await sentTo('status_off_track');
    expect(await mailsTo(digestPm.email)).toEqual([]);
    expect(await mailsTo(silentPm.email)).toEqual([]);

    const digests = t.app.get(DigestService);
    expect(await digests.sendDue()).toBe(0); // 16:00 in Tokyo, the events' own day
    clock.current = new Date('2027-03-01T22:30:00Z'); // 07:30 the next day in Tokyo
    expect(await digests.sendDue()).toBe(0);
    clock.current = new Date('2027-03-01T23:00:00Z'); // 08:00
    expect(await digests.sendDue()).toBe(1);
    expect(await digests.sendDue()).toBe(0);
    clock.current = new Date('2027-03-02T05:00:00Z'); // 14:00, the same day
    expect(await digests.sendDue()).toBe(0);

    const [digest] = await waitFor('the digest', async () => {
      const mails = await mailsTo(digestPm.email);
      return mails.length > 0 && mails;
    });
    expect(digest.subject).toBe('Your cirt-tracker digest of Mar 2, 2027: 4 events');
    const lines = digest.text!.split('\n').filter((line) => line.startsWith('• '));
    // In the order they happened; the test's clock stood still, so by subject.
    expect(lines.map((line) => line.replace(/: .*$/, ''))).toEqual([
      '• Assessment submitted',
      '• Milestone blocked',
      '• Phase change requested',
      '• Programme off track',
    ]);
    expect(digest.text).toContain('http://localhost:3000/app/countries/KE');
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await mailsTo(digestPm.email)).toHaveLength(1);
    expect(await mailsTo(silentPm.email)).toEqual([]);
  });

  it('should tell the user who asked for a report that it is ready, with a link to the reports page', async () => {
    const requested = await client(t, staff.regional_coordinator)('POST', '/api/v1/reports', {
      scope: { regionCode: 'AFR' },
      formats: ['csv'],
    });
    expect(requested.statusCode).toBe(202);
    expect(await sentTo('report_completed')).toEqual([staff.regional_coordinator.email]);
    const mail = (await mailsTo(staff.regional_coordinator.email)).find((m) =>
      m.subject?.startsWith('Report ready: Region AFR'),
    );
    // The reports page, where a signed-out reader is asked to sign in; the API's download
    // route answered them 401 problem+json.
    expect(mail?.text).toContain('http://localhost:3000/app/reports');
    expect(mail?.text).not.toContain('/api/');
    expect(mail?.html).toContain('<a href="http://localhost:3000/app/reports">');
  }, 60_000);

  it('should tell a person who is both a user and a stakeholder of the country once, as the user', async () => {
    await stakeholder('KE', 'regional_coordinator', staff.regional_coordinator.email);
    const posted = await client(t, staff.national_team)(
      'POST',
      `/api/v1/programmes/${programmeId}/status-updates`,
      { health: 'off_track', summary: 'Still no premises' },
    );
    expect(posted.statusCode).toBe(201);
    await sentTo('status_off_track');
    const rows: { stakeholderId: string | null }[] = await t.dataSource.query(
      `SELECT stakeholder_id AS "stakeholderId" FROM notifications
       WHERE kind = 'event.status_off_track' AND recipient = $1`,
      [staff.regional_coordinator.email],
    );
    expect(rows).toEqual([{ stakeholderId: null }, { stakeholderId: null }]); // one per update
    const offTrack = (await subjectsTo(staff.regional_coordinator.email)).filter((subject) =>
      subject.startsWith('Programme off track'),
    );
    expect(offTrack).toHaveLength(2);
  });

  it('should answer the defaults, keep what is set, and refuse unknown kinds and modes with 400, changing nothing', async () => {
    const coordinator = client(t, staff.regional_coordinator);
    const defaults = await coordinator('GET', PREFERENCES);
    expect(defaults.json()).toEqual({
      events: all('immediate'),
      timezone: null,
      digestTimezone: 'Africa/Addis_Ababa',
    });
    expect((await client(t, staff.national_team)('GET', PREFERENCES)).json().digestTimezone).toBe(
      'Africa/Nairobi',
    );
    expect((await client(t, staff.itu_pm)('GET', PREFERENCES)).json().digestTimezone).toBe('UTC');

    const set = await coordinator('PUT', PREFERENCES, { events: { status_off_track: 'off' } });
    expect(set.statusCode).toBe(200);
    expect(set.json().events).toEqual({ ...all('immediate'), status_off_track: 'off' });

    for (const body of [
      { events: { transition_exploded: 'immediate' } },
      { events: { status_off_track: 'weekly' } },
      { events: 'off' },
      { timezone: 'Mars/Olympus_Mons' },
      { events: {}, colour: 'blue' },
    ]) {
      const refused = await coordinator('PUT', PREFERENCES, body);
      expect(refused.statusCode).toBe(400);
      expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(refused.json()).toMatchObject({ status: 400, code: 'validation_failed' });
    }
    const unknownKind = await coordinator('PUT', PREFERENCES, {
      events: { transition_exploded: 'immediate' },
    });
    expect(unknownKind.json().errors).toEqual([
      expect.objectContaining({ field: 'events.transition_exploded' }),
    ]);
    expect((await coordinator('GET', PREFERENCES)).json()).toEqual(set.json());
  });
});
