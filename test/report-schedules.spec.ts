import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { simpleParser } from 'mailparser';
import { QueueName } from '../src/queues/queue-names.js';
import { ReportSchedulesService } from '../src/reports/report-schedules.service.js';
import { createProgramme } from './factories/programmes.js';
import { type Staff, createStaff } from './factories/users.js';
import { SmtpSink } from './support/smtp-sink.js';
import { type TestApp, client, startTestApp } from './support/test-app.js';
import { waitFor } from './support/wait.js';

const schedule = (overrides: object = {}) => ({
  cron: '0 7 * * 1',
  timezone: 'Africa/Nairobi',
  scope: { regionCode: 'AFR' },
  formats: ['csv'],
  recipients: ['pm@example.org'],
  ...overrides,
});

describe('report schedules', () => {
  const sink = new SmtpSink();
  let t: TestApp;
  let staff: Staff;
  let reportsQueue: Queue;

  beforeAll(async () => {
    await sink.start();
    t = await startTestApp({
      env: { PROCESS_ROLE: 'all', SMTP_URL: sink.url, OUTBOX_RELAY_INTERVAL_MS: '200' },
    });
    staff = await createStaff(t.dataSource);
    for (const countryCode of ['KE', 'GH', 'FR']) {
      await createProgramme(t, staff.admin, { countryCode, cirtType: 'national' });
    }
    reportsQueue = t.app.get(getQueueToken(QueueName.Reports));
  });
  afterAll(async () => {
    await t.close();
    await sink.stop();
  });

  const schedulerKeys = async () =>
    (await reportsQueue.getJobSchedulers(0, -1)).map((scheduler) => scheduler.key);

  it('should run a one-minute schedule and e-mail the report with its files attached', async () => {
    const as = client(t, staff.itu_pm);
    const created = await as(
      'POST',
      '/api/v1/report-schedules',
      schedule({
        cron: '* * * * *',
        scope: {},
        formats: ['csv', 'pdf'],
        recipients: ['pm@example.org', 'donor@example.org'],
      }),
    );
    expect(created.statusCode).toBe(201);
    const id = created.json().id;
    expect(created.json()).toMatchObject({ cron: '* * * * *', timezone: 'Africa/Nairobi' });
    expect(Date.parse(created.json().nextRunAt) - Date.now()).toBeLessThanOrEqual(60_000);
    expect(await schedulerKeys()).toContain(`report-schedule:${id}`);

    const mails = await waitFor(
      'the scheduled report to reach both recipients',
      () => sink.received.length >= 2 && sink.received,
      100_000,
    );
    expect(mails.flatMap((mail) => mail.to).sort()).toEqual([
      'donor@example.org',
      'pm@example.org',
    ]);
    const reports = (await as('GET', '/api/v1/reports')).json().items;
    const scheduled = reports.filter((report: { scheduleId: string }) => report.scheduleId === id);
    expect(scheduled).toHaveLength(1);
    expect(scheduled[0]).toMatchObject({ status: 'completed', formats: ['csv', 'pdf'] });

    const parsed = await simpleParser(mails[0].raw);
    expect(parsed.subject).toMatch(
      /^CIRT readiness report: All tracked countries, \d{4}-\d{2}-\d{2}$/,
    );
    expect(parsed.text).toContain(`/api/v1/reports/${scheduled[0].id}`);
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
    expect(rows).toEqual([{ recipients: ['pm@example.org'], scopeKey: 'region:AFR' }]);
  });

  it('should put back a scheduler Redis lost and drop one whose schedule is gone', async () => {
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
    ['recipients that are not a list', { recipients: 'pm@example.org' }, 'recipients'],
    ['a cron that is not text', { cron: 5 }, 'cron'],
    ['a scope that is not an object', { scope: 'AFR' }, 'scope'],
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
});
