import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { simpleParser } from 'mailparser';
import { formatMessage } from '../src/messages/catalog.js';
import { QueueName, ReportJob } from '../src/queues/queue-names.js';
import { ReportSchedulesService } from '../src/reports/report-schedules.service.js';
import { createAssessment } from './factories/assessments.js';
import { createProgramme } from './factories/programmes.js';
import { type Staff, type TestUser, createStaff, createUser } from './factories/users.js';
import { SmtpSink } from './support/smtp-sink.js';
import { type TestApp, client, startTestApp } from './support/test-app.js';
import { waitFor } from './support/wait.js';

const schedule = (overrides: object = {}) => ({
  cron: '0 7 * * 1',
  timezone: 'Africa/Nairobi',
  scope: { regionCode: 'AFR' },
  formats: ['csv'],
  recipients: ['pm@partners.example'],
  ...overrides,
});

/** An hourly pattern whose next firing is half an hour away, so it never fires during a test. */
const hourlyNotNow = () => `${(new Date().getUTCMinutes() + 30) % 60} * * * *`;

describe('report schedules', () => {
  const sink = new SmtpSink();
  let t: TestApp;
  let staff: Staff;
  let reportsQueue: Queue;

  beforeAll(async () => {
    await sink.start();
    t = await startTestApp({
      env: {
        PROCESS_ROLE: 'all',
        SMTP_URL: sink.url,
        OUTBOX_RELAY_INTERVAL_MS: '200',
        REPORT_RECIPIENT_DOMAINS: 'partners.example,itu.example',
      },
    });
    staff = await createStaff(t.dataSource);
    for (const countryCode of ['KE', 'GH', 'FR']) {
      const programme = await createProgramme(t, staff.admin, {
        countryCode,
        cirtType: 'national',
      });
      if (countryCode === 'KE') await createAssessment(t, staff.admin, programme.id, 'validated');
    }
    reportsQueue = t.app.get(getQueueToken(QueueName.Reports));
  });
  afterAll(async () => {
    await t.close();
    await sink.stop();
  });

  const schedulerKeys = async () =>
    (await reportsQueue.getJobSchedulers(0, -1)).map((scheduler) => scheduler.key);

  /** The e-mails of reports (the set-up's assessment tells people too). */
  const reportMails = () =>
    sink.received.filter((mail) => mail.subject?.startsWith('CIRT readiness report'));

  /** What the scheduler does when the schedule fires: a job through the real queue and worker. */
  const fire = (scheduleId: string) =>
    reportsQueue.add(ReportJob.Scheduled, { scheduleId }, { jobId: `fire-${scheduleId}` });

  it('should run an hourly schedule and e-mail the report with its files attached', async () => {
    const as = client(t, staff.itu_pm);
    const cron = hourlyNotNow();
    const created = await as(
      'POST',
      '/api/v1/report-schedules',
      schedule({
        cron,
        scope: {},
        formats: ['csv', 'pdf'],
        recipients: [staff.regional_coordinator.email, 'donor@partners.example'],
      }),
    );
    expect(created.statusCode).toBe(201);
    const id = created.json().id;
    expect(created.json()).toMatchObject({ cron, timezone: 'Africa/Nairobi', paused: false });
    expect(Date.parse(created.json().nextRunAt) - Date.now()).toBeLessThanOrEqual(3_600_000);
    expect(await schedulerKeys()).toContain(`report-schedule:${id}`);

    await fire(id);
    const mails = await waitFor(
      'the scheduled report to reach both recipients',
      () => reportMails().length >= 2 && reportMails(),
      100_000,
    );
    expect(mails.flatMap((mail) => mail.to).sort()).toEqual(
      [staff.regional_coordinator.email, 'donor@partners.example'].sort(),
    );
    const reports = (await as('GET', '/api/v1/reports')).json().items;
    const scheduled = reports.filter((report: { scheduleId: string }) => report.scheduleId === id);
    expect(scheduled).toHaveLength(1);
    expect(scheduled[0]).toMatchObject({ status: 'completed', formats: ['csv', 'pdf'] });

    const parsed = await simpleParser(mails[0].raw);
    expect(parsed.subject).toMatch(
      /^CIRT readiness report: All tracked countries, \d{4}-\d{2}-\d{2}$/,
    );
    // The e-mail links the reports page: a signed-out reader is sent to sign in and back to it,
    // where the API's report routes answered them 401 problem+json.
    const online = /^Online: (\S+)$/m.exec(parsed.text ?? '')?.[1];
    expect(online).toBe('http://localhost:3000/app/reports');
    expect(parsed.text).not.toContain('/api/');
    const signedOut = await t.app.inject({ method: 'GET', url: new URL(online!).pathname });
    expect([signedOut.statusCode, signedOut.headers.location]).toEqual([
      303,
      '/login?next=%2Fapp%2Freports',
    ]);
    const page = await t.app.inject({
      method: 'GET',
      url: new URL(online!).pathname,
      headers: { authorization: `Bearer ${await t.tokenFor(staff.regional_coordinator)}` },
    });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    const attachments = parsed.attachments.map((file) => [file.contentType, file.filename]);
    expect(attachments).toEqual([
      ['text/csv', expect.stringMatching(/\.csv$/)],
      ['application/pdf', expect.stringMatching(/\.pdf$/)],
    ]);
    const download = await as('GET', `/api/v1/reports/${scheduled[0].id}/download?format=csv`);
    expect(parsed.attachments[0].content.equals(download.rawPayload)).toBe(true);
    expect(parsed.attachments[1].content.subarray(0, 5).toString()).toBe('%PDF-');

    const removed = await as('DELETE', `/api/v1/report-schedules/${id}`);
    expect(removed.statusCode).toBe(204);
    expect((await as('GET', `/api/v1/report-schedules/${id}`)).statusCode).toBe(404);
    expect(await schedulerKeys()).not.toContain(`report-schedule:${id}`);
    // the reports it made stay
    expect((await as('GET', `/api/v1/reports/${scheduled[0].id}`)).statusCode).toBe(200);
  }, 130_000);

  it('should make one report per firing time however often the run is repeated', async () => {
    const created = await client(t, staff.admin)('POST', '/api/v1/report-schedules', schedule());
    const id = created.json().id;
    const firedAt = new Date('2026-11-23T04:00:00Z');
    const service = t.app.get(ReportSchedulesService);
    await service.run({ scheduleId: id }, firedAt);
    await service.run({ scheduleId: id }, firedAt);
    const rows = await t.dataSource.query(
      'SELECT recipients, scope_key AS "scopeKey" FROM reports WHERE schedule_id = $1',
      [id],
    );
    expect(rows).toEqual([{ recipients: ['pm@partners.example'], scopeKey: 'region:AFR' }]);
  });

  it('should put back a scheduler the queue lost and drop one whose schedule is gone', async () => {
    const created = await client(t, staff.admin)('POST', '/api/v1/report-schedules', schedule());
    const id = created.json().id;
    await reportsQueue.removeJobScheduler(`report-schedule:${id}`);
    await reportsQueue.upsertJobScheduler('report-schedule:00000000-0000-4000-8000-000000000000', {
      pattern: '0 7 * * 1',
    });
    await t.app.get(ReportSchedulesService).syncSchedulers();
    const keys = await schedulerKeys();
    expect(keys).toContain(`report-schedule:${id}`);
    expect(keys).not.toContain('report-schedule:00000000-0000-4000-8000-000000000000');
    // the queue's own schedulers are left alone
    expect(keys).toContain('relay');
  });

  it("should keep a coordinator to their region's schedules", async () => {
    const coordinator = client(t, staff.regional_coordinator);
    const mine = await coordinator('POST', '/api/v1/report-schedules', schedule({ scope: {} }));
    expect(mine.statusCode).toBe(201);
    expect(mine.json().scope).toEqual({ regionCode: 'AFR' });
    const european = await client(t, staff.admin)(
      'POST',
      '/api/v1/report-schedules',
      schedule({ scope: { regionCode: 'EUR' } }),
    );
    const listed = (await coordinator('GET', '/api/v1/report-schedules?pageSize=100')).json();
    const ids = listed.items.map((item: { id: string }) => item.id);
    expect(ids).toContain(mine.json().id);
    expect(ids).not.toContain(european.json().id);
    expect(
      listed.items.every((item: { scope: object }) => JSON.stringify(item.scope).includes('"AFR"')),
    ).toBe(true);
    const foreign = await coordinator('DELETE', `/api/v1/report-schedules/${european.json().id}`);
    expect(foreign.statusCode).toBe(404);
    expect(
      await t.dataSource.query('SELECT count(*)::int AS n FROM report_schedules WHERE id = $1', [
        european.json().id,
      ]),
    ).toEqual([{ n: 1 }]);
    expect(
      await coordinator(
        'POST',
        '/api/v1/report-schedules',
        schedule({ scope: { countryCodes: ['FR'] } }),
      ),
    ).toMatchObject({ statusCode: 404 });
  });

  it.each([
    ['a minute out of range', { cron: '61 * * * *' }, 'cron'],
    ['a cron with seconds', { cron: '*/5 * * * * *' }, 'cron'],
    ['words for a cron', { cron: 'every monday' }, 'cron'],
    ['a day that never comes', { cron: '0 0 31 2 *' }, 'cron'],
    ['an unknown time zone', { timezone: 'Mars/Olympus' }, 'timezone'],
    ['no recipients', { recipients: [] }, 'recipients'],
    ['a recipient that is not an address', { recipients: ['pm at itu'] }, 'recipients'],
    ['an unknown format', { formats: ['docx'] }, 'formats'],
    ['an unknown field', { every: 'monday' }, 'every'],
    ['recipients that are not a list', { recipients: 'pm@partners.example' }, 'recipients'],
    ['a cron that fires every minute', { cron: '* * * * *' }, 'cron'],
    ['a cron that fires every 30 minutes', { cron: '*/30 * * * *' }, 'cron'],
    ['a cron that fires twice within an hour once a year', { cron: '0,59 9 1 1 *' }, 'cron'],
    ['a recipient outside the allowed domains', { recipients: ['pm@example.org'] }, 'recipients'],
    ['a recipient in a subdomain', { recipients: ['pm@mail.partners.example'] }, 'recipients'],
    ['a cron that is not text', { cron: 5 }, 'cron'],
    ['a scope that is not an object', { scope: 'AFR' }, 'scope'],
    ['a language the product does not have', { locale: 'de' }, 'locale'],
  ])('should refuse %s with 400 and store nothing', async (_name, change, field) => {
    const before = await t.dataSource.query('SELECT count(*)::int AS n FROM report_schedules');
    const response = await client(t, staff.admin)(
      'POST',
      '/api/v1/report-schedules',
      schedule(change),
    );
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json().errors.map((error: { field: string }) => error.field)).toContain(field);
    expect(await t.dataSource.query('SELECT count(*)::int AS n FROM report_schedules')).toEqual(
      before,
    );
  });

  const countSchedules = async () =>
    (await t.dataSource.query('SELECT count(*)::int AS n FROM report_schedules'))[0].n as number;

  const scheduleRow = async (id: string) =>
    (
      await t.dataSource.query(
        `SELECT paused, paused_reason AS "pausedReason", created_by AS "createdBy" FROM report_schedules WHERE id = $1`,
        [id],
      )
    )[0];

  const auditOf = (id: string) =>
    t.dataSource.query(
      `SELECT action, actor_id AS "actorId", request_id AS "requestId", after ->> 'pausedReason' AS "pausedReason"
       FROM audit_events WHERE entity_type = 'report_schedule' AND entity_id = $1 ORDER BY occurred_at, id`,
      [id],
    ) as Promise<
      {
        action: string;
        actorId: string | null;
        requestId: string | null;
        pausedReason: string | null;
      }[]
    >;

  /** A coordinator of AFR of its own, with a schedule of the region. */
  async function coordinatorWithSchedule(): Promise<{ owner: TestUser; id: string }> {
    const owner = await createUser(t.dataSource, {
      role: 'regional_coordinator',
      regionCode: 'AFR',
    });
    const created = await client(t, owner)(
      'POST',
      '/api/v1/report-schedules',
      schedule({ cron: hourlyNotNow(), scope: { regionCode: 'AFR' } }),
    );
    expect(created.statusCode).toBe(201);
    return { owner, id: created.json().id };
  }

  it('should refuse recipients who are neither enabled registered users nor in an allowed domain, naming them, and store nothing', async () => {
    const disabled = await createUser(t.dataSource, { role: 'itu_pm', disabled: true });
    const before = await countSchedules();
    const refused = await client(t, staff.itu_pm)(
      'POST',
      '/api/v1/report-schedules',
      schedule({
        recipients: [
          staff.observer.email.toUpperCase(),
          'Someone@Partners.Example',
          'outsider@elsewhere.example',
          disabled.email,
        ],
      }),
    );
    expect(refused.statusCode).toBe(400);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    const [error] = refused.json().errors;
    expect(error.field).toBe('recipients');
    expect(error.message).toContain('outsider@elsewhere.example');
    expect(error.message).toContain(disabled.email);
    expect(error.message).not.toContain(staff.observer.email.toUpperCase());
    expect(error.message).not.toContain('Someone@Partners.Example');
    expect(await countSchedules()).toBe(before);

    const accepted = await client(t, staff.itu_pm)(
      'POST',
      '/api/v1/report-schedules',
      schedule({ recipients: [staff.observer.email.toUpperCase(), 'Someone@Partners.Example'] }),
    );
    expect(accepted.statusCode).toBe(201);
  });

  it('should let a user own at most 20 schedules, however many are asked for at once', async () => {
    const owner = await createUser(t.dataSource, { role: 'itu_pm' });
    const as = client(t, owner);
    const answers = await Promise.all(
      Array.from({ length: 25 }, () => as('POST', '/api/v1/report-schedules', schedule())),
    );
    const statuses = answers.map((answer) => answer.statusCode).sort();
    expect(statuses).toEqual([...Array(20).fill(201), ...Array(5).fill(409)]);
    const refused = answers.find((answer) => answer.statusCode === 409)!;
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.json().code).toBe('schedule_limit_reached');
    expect(
      await t.dataSource.query(
        'SELECT count(*)::int AS n FROM report_schedules WHERE created_by = $1',
        [owner.id],
      ),
    ).toEqual([{ n: 20 }]);
  });

  it("should pause, in the caller's transaction, the schedules an owner no longer covers, with an audit event each", async () => {
    const service = t.app.get(ReportSchedulesService);
    const { owner, id: regional } = await coordinatorWithSchedule();
    const kenya = (
      await client(t, owner)(
        'POST',
        '/api/v1/report-schedules',
        schedule({ scope: { countryCodes: ['KE'] } }),
      )
    ).json().id;
    const others = (
      await client(t, staff.admin)('POST', '/api/v1/report-schedules', schedule())
    ).json().id;

    // A change that is rolled back pauses nothing.
    await expect(
      t.dataSource.transaction(async (manager) => {
        await service.pauseUncovered(manager, { ...owner, disabled: true }, 'req-rolled-back');
        throw new Error('the user change failed');
      }),
    ).rejects.toThrow('the user change failed');
    expect(await scheduleRow(regional)).toMatchObject({ paused: false });
    expect(await auditOf(regional)).toHaveLength(1);

    // Still a coordinator of AFR: both schedules stay covered.
    await t.dataSource.transaction((manager) =>
      service.pauseUncovered(manager, { ...owner, disabled: false }, 'req-same'),
    );
    expect(await scheduleRow(regional)).toMatchObject({ paused: false });

    await t.dataSource.transaction((manager) =>
      service.pauseUncovered(
        manager,
        { ...owner, regionCode: 'EUR', disabled: false },
        'req-moved',
        staff.admin.id,
      ),
    );
    const listed = (await client(t, staff.admin)('GET', '/api/v1/report-schedules?pageSize=200'))
      .json()
      .items.filter((item: { id: string }) => [regional, kenya, others].includes(item.id));
    expect(
      Object.fromEntries(
        listed.map((item: { id: string; paused: boolean; pausedReason: string | null }) => [
          item.id,
          [item.paused, item.pausedReason],
        ]),
      ),
    ).toEqual({
      [regional]: [true, 'owner_scope_changed'],
      [kenya]: [true, 'owner_scope_changed'],
      [others]: [false, null],
    });
    expect(listed.find((item: { id: string }) => item.id === regional).nextRunAt).toBeNull();
    expect((await auditOf(regional)).at(-1)).toEqual({
      action: 'report_schedule.paused',
      actorId: staff.admin.id,
      requestId: 'req-moved',
      pausedReason: 'owner_scope_changed',
    });
    expect((await auditOf(kenya)).map((event) => event.action)).toEqual([
      'report_schedule.created',
      'report_schedule.paused',
    ]);

    // The relay tick drops their job schedulers and does not put them back.
    await service.syncSchedulers();
    await service.syncSchedulers();
    const keys = await schedulerKeys();
    expect(keys).not.toContain(`report-schedule:${regional}`);
    expect(keys).not.toContain(`report-schedule:${kenya}`);
    expect(keys).toContain(`report-schedule:${others}`);

    // A run that fires anyway makes no report.
    await service.run({ scheduleId: regional }, new Date('2026-11-23T05:00:00Z'));
    expect(
      await t.dataSource.query('SELECT id FROM reports WHERE schedule_id = $1', [regional]),
    ).toEqual([]);
  });

  it("should pause a disabled user's schedules", async () => {
    const { owner, id } = await coordinatorWithSchedule();
    await t.dataSource.transaction((manager) =>
      t.app.get(ReportSchedulesService).pauseUncovered(manager, { ...owner, disabled: true }, 'r1'),
    );
    expect(await scheduleRow(id)).toMatchObject({ paused: true, pausedReason: 'owner_disabled' });
  });

  it.each([
    ['disabled', `UPDATE users SET disabled = true WHERE id = $1`, 'owner_disabled'],
    [
      'made an observer',
      `UPDATE users SET role = 'observer', region_code = NULL WHERE id = $1`,
      'owner_scope_changed',
    ],
    [
      'moved to another region',
      `UPDATE users SET region_code = 'EUR' WHERE id = $1`,
      'owner_scope_changed',
    ],
  ])(
    'should pause instead of running when the owner was %s behind its back',
    async (_name, change, reason) => {
      const { owner, id } = await coordinatorWithSchedule();
      await t.dataSource.query(change, [owner.id]);
      await t.app
        .get(ReportSchedulesService)
        .run({ scheduleId: id }, new Date('2026-11-23T05:00:00Z'));
      expect(
        await t.dataSource.query('SELECT id FROM reports WHERE schedule_id = $1', [id]),
      ).toEqual([]);
      expect(await scheduleRow(id)).toMatchObject({ paused: true, pausedReason: reason });
      expect((await auditOf(id)).at(-1)).toMatchObject({
        action: 'report_schedule.paused',
        actorId: null,
        pausedReason: reason,
      });
      expect(await schedulerKeys()).not.toContain(`report-schedule:${id}`);
    },
  );

  it('should leave out of a run the recipients who may no longer receive reports', async () => {
    const leaving = await createUser(t.dataSource, { role: 'itu_pm' });
    const id = (
      await client(t, staff.admin)(
        'POST',
        '/api/v1/report-schedules',
        schedule({ recipients: [leaving.email, 'pm@partners.example'] }),
      )
    ).json().id;
    await t.dataSource.query('UPDATE users SET disabled = true WHERE id = $1', [leaving.id]);
    await t.app
      .get(ReportSchedulesService)
      .run({ scheduleId: id }, new Date('2026-11-23T06:00:00Z'));
    expect(
      await t.dataSource.query('SELECT recipients FROM reports WHERE schedule_id = $1', [id]),
    ).toEqual([{ recipients: ['pm@partners.example'] }]);
  });

  it('should let an admin or ITU PM resume or reassign a paused schedule, audited, and refuse the rest', async () => {
    const { owner, id } = await coordinatorWithSchedule();
    await t.dataSource.query('UPDATE users SET disabled = true WHERE id = $1', [owner.id]);
    await t.app
      .get(ReportSchedulesService)
      .run({ scheduleId: id }, new Date('2026-11-23T07:00:00Z'));
    expect(await scheduleRow(id)).toMatchObject({ paused: true });
    const admin = client(t, staff.admin);
    const pm = client(t, staff.itu_pm);

    for (const user of [staff.regional_coordinator, staff.national_team, staff.observer]) {
      expect(
        (await client(t, user)('POST', `/api/v1/report-schedules/${id}/resume`)).statusCode,
      ).toBe(403);
      expect(
        (
          await client(t, user)('POST', `/api/v1/report-schedules/${id}/reassign`, {
            userId: staff.itu_pm.id,
          })
        ).statusCode,
      ).toBe(403);
    }
    const unknown = '00000000-0000-4000-8000-000000000000';
    expect((await admin('POST', `/api/v1/report-schedules/${unknown}/resume`)).statusCode).toBe(
      404,
    );
    expect(
      (
        await admin('POST', `/api/v1/report-schedules/${unknown}/reassign`, {
          userId: staff.itu_pm.id,
        })
      ).statusCode,
    ).toBe(404);
    expect((await admin('POST', '/api/v1/report-schedules/not-an-id/resume')).statusCode).toBe(400);
    for (const body of [
      {},
      { userId: 'someone' },
      { userId: staff.itu_pm.id, now: true },
      { userId: unknown },
    ]) {
      const answer = await admin('POST', `/api/v1/report-schedules/${id}/reassign`, body);
      expect([JSON.stringify(body), answer.statusCode]).toEqual([JSON.stringify(body), 400]);
    }

    // The owner is still disabled, and an observer or another region's coordinator covers nothing.
    const stillDisabled = await pm('POST', `/api/v1/report-schedules/${id}/resume`);
    expect([stillDisabled.statusCode, stillDisabled.json().code]).toEqual([
      422,
      'owner_does_not_cover_scope',
    ]);
    const european = await createUser(t.dataSource, {
      role: 'regional_coordinator',
      regionCode: 'EUR',
    });
    for (const user of [staff.observer, european]) {
      const answer = await admin('POST', `/api/v1/report-schedules/${id}/reassign`, {
        userId: user.id,
      });
      expect([answer.statusCode, answer.json().code]).toEqual([422, 'owner_does_not_cover_scope']);
    }
    expect(await scheduleRow(id)).toMatchObject({ paused: true, createdBy: owner.id });

    const successor = await createUser(t.dataSource, {
      role: 'regional_coordinator',
      regionCode: 'AFR',
    });
    const reassigned = await admin('POST', `/api/v1/report-schedules/${id}/reassign`, {
      userId: successor.id,
    });
    expect(reassigned.statusCode).toBe(200);
    expect(reassigned.json()).toMatchObject({
      id,
      createdBy: successor.id,
      paused: false,
      pausedReason: null,
    });
    expect(await schedulerKeys()).toContain(`report-schedule:${id}`);

    // Paused again (the successor disabled), then resumed once the successor is back.
    await t.dataSource.query('UPDATE users SET disabled = true WHERE id = $1', [successor.id]);
    await t.app
      .get(ReportSchedulesService)
      .run({ scheduleId: id }, new Date('2026-11-23T08:00:00Z'));
    await t.dataSource.query('UPDATE users SET disabled = false WHERE id = $1', [successor.id]);
    const resumed = await pm('POST', `/api/v1/report-schedules/${id}/resume`);
    expect(resumed.statusCode).toBe(200);
    expect(resumed.json()).toMatchObject({ id, paused: false, createdBy: successor.id });
    expect(await schedulerKeys()).toContain(`report-schedule:${id}`);
    const again = await pm('POST', `/api/v1/report-schedules/${id}/resume`);
    expect([again.statusCode, again.json().code]).toEqual([409, 'report_schedule_not_paused']);

    expect((await auditOf(id)).map((event) => [event.action, event.actorId])).toEqual([
      ['report_schedule.created', owner.id],
      ['report_schedule.paused', null],
      ['report_schedule.reassigned', staff.admin.id],
      ['report_schedule.paused', null],
      ['report_schedule.resumed', staff.itu_pm.id],
    ]);
  });

  it('should let an admin or ITU PM pause a running schedule by hand with a reason, audited, so that it does not fire, and refuse the rest', async () => {
    const { owner, id } = await coordinatorWithSchedule();
    const admin = client(t, staff.admin);
    const pm = client(t, staff.itu_pm);
    const reason = 'Year-end break: nobody reads it';

    // Only the ITU team pauses, as it resumes; the owner and the region's coordinator included.
    for (const user of [owner, staff.regional_coordinator, staff.national_team, staff.observer]) {
      const answer = await client(t, user)('POST', `/api/v1/report-schedules/${id}/pause`, {
        reason,
      });
      expect([user.role, answer.statusCode]).toEqual([user.role, 403]);
    }
    expect(
      (await admin('POST', '/api/v1/report-schedules/not-an-id/pause', { reason })).statusCode,
    ).toBe(400);
    // A schedule the caller cannot see answers 404; the ITU team sees every region's, so only
    // one that does not exist is out of its sight.
    expect(
      (
        await admin('POST', '/api/v1/report-schedules/00000000-0000-4000-8000-000000000000/pause', {
          reason,
        })
      ).statusCode,
    ).toBe(404);
    for (const body of [
      { reason: '' },
      { reason: '   ' },
      { reason: 5 },
      { reason: 'x'.repeat(501) },
      { why: 'x' },
    ]) {
      const answer = await admin('POST', `/api/v1/report-schedules/${id}/pause`, body);
      expect([JSON.stringify(body), answer.statusCode]).toEqual([JSON.stringify(body), 400]);
    }
    expect(await scheduleRow(id)).toMatchObject({ paused: false });
    expect(await schedulerKeys()).toContain(`report-schedule:${id}`);

    const paused = await pm('POST', `/api/v1/report-schedules/${id}/pause`, {
      reason: `  ${reason} `,
    });
    expect(paused.statusCode).toBe(200);
    expect(paused.json()).toMatchObject({
      id,
      paused: true,
      pausedReason: reason,
      nextRunAt: null,
    });
    expect((await pm('GET', `/api/v1/report-schedules/${id}`)).json()).toMatchObject({
      paused: true,
      pausedReason: reason,
      createdBy: owner.id,
    });
    expect(await schedulerKeys()).not.toContain(`report-schedule:${id}`);
    const again = await admin('POST', `/api/v1/report-schedules/${id}/pause`);
    expect([again.statusCode, again.json().code]).toEqual([409, 'report_schedule_already_paused']);

    // A firing already on its way finds it paused: no report.
    await t.app
      .get(ReportSchedulesService)
      .run({ scheduleId: id }, new Date('2026-11-23T09:00:00Z'));
    expect(
      await t.dataSource.query('SELECT count(*)::int AS n FROM reports WHERE schedule_id = $1', [
        id,
      ]),
    ).toEqual([{ n: 0 }]);

    const resumed = await admin('POST', `/api/v1/report-schedules/${id}/resume`);
    expect(resumed.json()).toMatchObject({
      id,
      paused: false,
      pausedReason: null,
      createdBy: owner.id,
    });
    expect(await schedulerKeys()).toContain(`report-schedule:${id}`);
    // Without a body, or a reason, it pauses all the same.
    const silent = await admin('POST', `/api/v1/report-schedules/${id}/pause`);
    expect([silent.statusCode, silent.json().pausedReason]).toEqual([200, null]);

    expect(
      (await auditOf(id)).map((event) => [event.action, event.actorId, event.pausedReason]),
    ).toEqual([
      ['report_schedule.created', owner.id, null],
      ['report_schedule.paused', staff.itu_pm.id, reason],
      ['report_schedule.resumed', staff.admin.id, null],
      ['report_schedule.paused', staff.admin.id, null],
    ]);
  });

  it('should e-mail a recipient who sees scores only no indicator levels of a scope under 5 assessments', async () => {
    const pm = client(t, staff.itu_pm);
    const mailTo = async (recipient: string) => {
      const id = (
        await pm(
          'POST',
          '/api/v1/report-schedules',
          schedule({
            cron: hourlyNotNow(),
            scope: { countryCodes: ['KE'] },
            formats: ['json'],
            recipients: [recipient],
          }),
        )
      ).json().id;
      await fire(id);
      const mail = await waitFor(
        `the report to reach ${recipient}`,
        () => reportMails().find((received) => received.to.includes(recipient)),
        60_000,
      );
      const [attachment] = (await simpleParser(mail.raw)).attachments;
      return JSON.parse(attachment.content.toString('utf8'));
    };
    const manager = await mailTo(staff.itu_pm.email);
    expect(manager.indicatorDetailWithheld).toBe(false);
    expect(manager.weakestIndicators.length).toBeGreaterThan(0);
    const observer = await mailTo(staff.observer.email);
    expect(observer.indicatorDetailWithheld).toBe(true);
    expect(observer.weakestIndicators).toEqual([]);
    expect(observer.programmes).toEqual(manager.programmes);
  }, 130_000);

  it("should store and answer a schedule's language, its owner's by default, and e-mail its runs' reports in it", async () => {
    const owner = await createUser(t.dataSource, { role: 'itu_pm' });
    await t.dataSource.query(`UPDATE users SET locale = 'es' WHERE id = $1`, [owner.id]);
    const as = client(t, owner);
    const byDefault = await as('POST', '/api/v1/report-schedules', schedule());
    expect([byDefault.statusCode, byDefault.json().locale]).toEqual([201, 'es']);

    const recipient = 'lectrice@partners.example';
    const created = await as(
      'POST',
      '/api/v1/report-schedules',
      schedule({
        cron: hourlyNotNow(),
        scope: { countryCodes: ['KE'] },
        formats: ['csv'],
        recipients: [recipient],
        locale: 'fr',
      }),
    );
    expect([created.statusCode, created.json().locale]).toEqual([201, 'fr']);
    const id = created.json().id;
    expect((await as('GET', `/api/v1/report-schedules/${id}`)).json()).toMatchObject({
      id,
      locale: 'fr',
    });
    const listed = (await as('GET', '/api/v1/report-schedules?pageSize=100')).json().items;
    expect(
      listed
        .filter((item: { id: string }) => [id, byDefault.json().id].includes(item.id))
        .map((item: { id: string; locale: string }) => item.locale)
        .sort(),
    ).toEqual(['es', 'fr']);
    expect(
      await t.dataSource.query('SELECT locale FROM report_schedules WHERE id = $1', [id]),
    ).toEqual([{ locale: 'fr' }]);

    await fire(id);
    const mail = await waitFor(
      'the French report to reach its recipient',
      () => sink.received.find((received) => received.to.includes(recipient)),
      60_000,
    );
    const [report] = (await as('GET', '/api/v1/reports?pageSize=100'))
      .json()
      .items.filter((item: { scheduleId: string }) => item.scheduleId === id);
    expect(report).toMatchObject({ status: 'completed', locale: 'fr' });
    const [{ kenya }] = await t.dataSource.query(
      `SELECT names ->> 'fr' AS kenya FROM countries WHERE code = 'KE'`,
    );
    const parsed = await simpleParser(mail.raw);
    const fr = (key: string, values = {}) => formatMessage('reports', 'fr', key, values);
    expect(parsed.subject).toBe(
      fr('email.subject', { scope: kenya, date: report.asOf.slice(0, 10) }),
    );
    expect(parsed.text).toContain(fr('email.online', { url: 'http://localhost:3000/app/reports' }));
    expect(parsed.text).not.toContain('Online:');
    const csvHeader = parsed.attachments[0].content.toString('utf8').split('\r\n')[0];
    expect(csvHeader.startsWith(`${fr('column.countryCode')},${fr('column.countryName')},`)).toBe(
      true,
    );
    expect(
      await t.dataSource.query('SELECT locale FROM notifications WHERE report_id = $1', [
        report.id,
      ]),
    ).toEqual([{ locale: 'fr' }]);
  }, 90_000);

  // Needs src/users/users.service.ts to call ReportSchedulesService.pauseUncovered in its update
  // transaction: it fails until that call is wired.
  it('should pause the schedule when PATCH /api/v1/users/:id disables its owner', async () => {
    const { owner, id } = await coordinatorWithSchedule();
    const patched = await client(t, staff.admin)('PATCH', `/api/v1/users/${owner.id}`, {
      disabled: true,
    });
    expect(patched.statusCode).toBe(200);
    const listed = (await client(t, staff.admin)('GET', `/api/v1/report-schedules/${id}`)).json();
    expect(listed).toMatchObject({ paused: true, pausedReason: 'owner_disabled' });
    expect((await auditOf(id)).at(-1)).toMatchObject({
      action: 'report_schedule.paused',
      actorId: staff.admin.id,
      requestId: patched.headers['x-request-id'],
    });
  });
});
