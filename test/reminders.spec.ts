import { OutboxWriter } from '../src/notifications/outbox-writer.js';
import { jest } from '@jest/globals';
import { localDate } from '../src/common/dates.js';
import { ReminderScan } from '../src/reminders/reminder-scan.service.js';
import { createProgramme } from './factories/programmes.js';
import { type Staff, createStaff } from './factories/users.js';
import { type TestApp, client, controlClock, startTestApp } from './support/test-app.js';

interface Row {
  dedupeKey: string;
  kind: string;
  recipient: string;
  locale: string;
  subject: string;
  bodyHtml: string;
  notBefore: Date;
  stakeholderId: string;
}

describe('the reminder scan', () => {
  let t: TestApp;
  let staff: Staff;
  let clock: { current: Date };

  beforeAll(async () => {
    t = await startTestApp();
    staff = await createStaff(t.dataSource);
    clock = controlClock(t, '2027-03-01T06:00:00Z'); // Monday, 09:00 in Nairobi
  });
  afterAll(() => t.close());

  it('should send each step of the milestone ladders once, on its day, to the right people, in their language and hours', async () => {
    const admin = client(t, staff.admin);
    const programme = await createProgramme(t, staff.admin, { countryCode: 'KE' });
    const stakeholder = async (role: string, locale: string, timezone?: string) =>
      (
        await admin('POST', '/api/v1/countries/KE/stakeholders', {
          name: `${role} person`,
          email: `${role}@example.org`,
          role,
          locale,
          ...(timezone ? { timezone } : {}),
        })
      ).json().id as string;
    const owner = await stakeholder('cirt_lead', 'es', 'America/New_York');
    const focalPoint = await stakeholder('national_focal_point', 'fr');
    const pm = await stakeholder('itu_project_manager', 'en', 'Europe/Zurich');
    const coordinator = await stakeholder('regional_coordinator', 'ar');
    const language = { [owner]: 'es', [focalPoint]: 'fr', [pm]: 'en', [coordinator]: 'ar' };
    const zone = {
      [owner]: 'America/New_York',
      [focalPoint]: 'Africa/Nairobi',
      [pm]: 'Europe/Zurich',
      [coordinator]: 'Africa/Nairobi',
    };

    const milestone = (
      await admin('POST', `/api/v1/programmes/${programme.id}/milestones`, {
        phase: 'readiness_assessment',
        title: 'Legal review <done>',
        dueDate: '2027-03-21', // 20 days on, a Sunday
        ownerStakeholderId: owner,
      })
    ).json();

    const firstSeen = new Map<string, string>();
    const scan = t.app.get(ReminderScan);
    const start = clock.current.getTime();
    for (let hour = 0; hour <= 60 * 24; hour += 1) {
      clock.current = new Date(start + hour * 3_600_000);
      const { written } = await scan.scan();
      if (written === 0) continue;
      const keys: { dedupeKey: string }[] = await t.dataSource.query(
        `SELECT dedupe_key AS "dedupeKey" FROM notifications WHERE dedupe_key LIKE $1`,
        [`%:${milestone.id}:%`],
      );
      for (const { dedupeKey } of keys) {
        if (!firstSeen.has(dedupeKey))
          firstSeen.set(dedupeKey, localDate(clock.current, 'Africa/Nairobi'));
      }
    }

    const rows: Row[] = await t.dataSource.query(
      `SELECT dedupe_key AS "dedupeKey", kind, recipient, locale, subject, body_html AS "bodyHtml",
              not_before AS "notBefore", stakeholder_id AS "stakeholderId"
       FROM notifications WHERE dedupe_key LIKE $1 ORDER BY not_before, dedupe_key`,
      [`%:${milestone.id}:%`],
    );
    const ladder = rows.map((row) => {
      const [rule, , step] = row.dedupeKey.split(':');
      return `${rule} ${step} ${row.locale} ${firstSeen.get(row.dedupeKey)}`;
    });
    expect(ladder.sort()).toEqual(
      [
        'milestone_due_soon 14 es 2027-03-07',
        'milestone_due_soon 3 es 2027-03-18',
        'milestone_due_soon 0 es 2027-03-21',
        'milestone_overdue 1 es 2027-03-22',
        'milestone_overdue 1 fr 2027-03-22',
        'milestone_overdue 7 es 2027-03-28',
        'milestone_overdue 7 fr 2027-03-28',
        'milestone_overdue 7 en 2027-03-28',
        'milestone_overdue 7 ar 2027-03-28',
        'milestone_overdue 30 es 2027-04-20',
        'milestone_overdue 30 fr 2027-04-20',
        'milestone_overdue 30 en 2027-04-20',
        'milestone_overdue 30 ar 2027-04-20',
      ].sort(),
    );

    for (const row of rows) {
      expect(row.locale).toBe(language[row.stakeholderId]);
      // inside Mon-Fri 09:00-17:00 where the recipient is
      const local = new Intl.DateTimeFormat('en-GB', {
        timeZone: zone[row.stakeholderId],
        weekday: 'short',
        hour: '2-digit',
        hourCycle: 'h23',
      }).formatToParts(new Date(row.notBefore));
      const weekday = local.find((part) => part.type === 'weekday')!.value;
      const hour = Number(local.find((part) => part.type === 'hour')!.value);
      expect(['Mon', 'Tue', 'Wed', 'Thu', 'Fri']).toContain(weekday);
      expect(hour).toBeGreaterThanOrEqual(9);
      expect(hour).toBeLessThan(17);
    }
    const arabic = rows.find((row) => row.locale === 'ar')!;
    expect(arabic.bodyHtml).toContain('dir="rtl"');
    expect(arabic.subject).toMatch(/[\u0600-\u06FF]/);
    const spanish = rows.find((row) => row.locale === 'es')!;
    expect(spanish.bodyHtml).toContain('Legal review &lt;done&gt;');
    expect(spanish.bodyHtml).toContain(`/app/countries/${programme.countryCode}`);
  }, 180_000);

  it('should write a scan of more reminders than one chunk holds once, chunk by chunk, each to the people of its own country', async () => {
    const countries = ['GH', 'PE'];
    const milestones = new Map<string, string>(); // milestone id -> country
    const focalPoints = new Map<string, string>(); // country -> e-mail
    for (const countryCode of countries) {
      const programme = await createProgramme(t, staff.admin, { countryCode });
      const email = `focal.${countryCode.toLowerCase()}@example.org`;
      await t.dataSource.query(
        `INSERT INTO stakeholders (country_code, name, email, role)
         VALUES ($1, 'Focal point', $2, 'national_focal_point')`,
        [countryCode, email],
      );
      focalPoints.set(countryCode, email);
      // Two days overdue where the country lives: the first overdue step, to the focal point.
      const rows: { id: string }[] = await t.dataSource.query(
        `INSERT INTO milestones (programme_id, phase, title, due_date, plan_key)
         SELECT $1, 'readiness_assessment', 'Bulk ' || n, $2::date - 2, 'bulk-' || n
         FROM generate_series(1, 300) AS n RETURNING id`,
        [programme.id, localDate(clock.current, 'UTC')],
      );
      for (const { id } of rows) milestones.set(id, countryCode);
    }
    const scan = t.app.get(ReminderScan);
    const ours = async () => {
      const rows: { dedupeKey: string; recipient: string; countryCode: string }[] =
        await t.dataSource.query(
          `SELECT dedupe_key AS "dedupeKey", recipient, country_code AS "countryCode"
           FROM notifications WHERE kind = 'reminder.milestone_overdue'`,
        );
      return rows.filter((row) => milestones.has(row.dedupeKey.split(':')[1]));
    };

    // Each chunk is committed as it is written: the next one starts with the last one visible.
    const outbox = t.app.get(OutboxWriter);
    const add = outbox.add.bind(outbox);
    const visible: number[] = [];
    const spy = jest.spyOn(outbox, 'add').mockImplementation(async (manager, drafts) => {
      const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM notifications`);
      visible.push(n);
      return add(manager, drafts);
    });
    try {
      expect((await scan.scan()).written).toBeGreaterThanOrEqual(600);
    } finally {
      spy.mockRestore();
    }
    expect(visible.length).toBeGreaterThan(1);
    expect(visible[1]).toBeGreaterThan(visible[0]);
    const written = await ours();
    expect(written).toHaveLength(600);
    for (const row of written) {
      const countryCode = milestones.get(row.dedupeKey.split(':')[1])!;
      expect(row.countryCode).toBe(countryCode);
      expect(row.recipient).toBe(focalPoints.get(countryCode));
    }
    expect((await scan.scan()).written).toBe(0);
    expect(await ours()).toHaveLength(600);
  });

  it('should let an ITU project manager ask for a scan now, and refuse the others', async () => {
    const response = await client(t, staff.itu_pm)('POST', '/api/v1/reminders/scan');
    expect(response.statusCode).toBe(202);
    expect(response.json().jobId).toMatch(/^manual-/);
    expect(
      (await client(t, staff.national_team)('POST', '/api/v1/reminders/scan')).statusCode,
    ).toBe(403);
  });
});
