import type { Principal } from '../src/auth/roles.js';
import { ReminderScan } from '../src/reminders/reminder-scan.service.js';
import { WorkQueueQuery } from '../src/web/work-queue.query.js';
import { createProgramme, createStakeholder } from './factories/programmes.js';
import { type Staff, createStaff } from './factories/users.js';
import { type TestApp, client, controlClock, startTestApp } from './support/test-app.js';

/** Countries whose midnights fall at different UTC hours: +13, +5:45, +3 and -5. */
const COUNTRIES = ['WS', 'NP', 'KE', 'PE'];
const NOW = Date.parse('2027-06-15T10:30:00Z');
const HOUR = 3_600_000;

/**
 * "Stale status update" is one definition: the programmes My queue lists as silent are the
 * ones the reminder scan reminds about, at the same instant, whatever REMINDER_RULES says and
 * whichever calendar the country lives in.
 */
describe('stale status updates', () => {
  const rules = [
    undefined, // the defaults: 30 days, escalated at 60
    { statusUpdateStale: { afterDays: 10, escalateAfterDays: 20 } },
    { statusUpdateStale: { afterDays: 45, escalateAfterDays: 90 } },
  ];
  const apps: TestApp[] = [];
  let staff: Staff;
  let expectedProgrammes: number;

  beforeAll(async () => {
    const first = await startTestApp();
    apps.push(first);
    for (const given of rules.slice(1)) {
      apps.push(
        await startTestApp({
          database: first.database,
          env: { REMINDER_RULES: JSON.stringify(given) },
        }),
      );
    }
    staff = await createStaff(first.dataSource);
    const clock = controlClock(first, new Date(NOW).toISOString());
    const admin = client(first, staff.admin);
    expectedProgrammes = 0;
    for (const countryCode of COUNTRIES) {
      await createStakeholder(first, staff.admin, countryCode, { role: 'national_focal_point' });
      await createStakeholder(first, staff.admin, countryCode, { role: 'itu_project_manager' });
      // One programme never updated, and others last updated around each threshold, on
      // either side of the country's midnight.
      clock.current = new Date(NOW - 400 * 24 * HOUR);
      await createProgramme(first, staff.admin, { countryCode });
      expectedProgrammes += 1;
      for (const days of [5, 10, 30, 45]) {
        for (const hours of [-12, -4, 0, 4, 12]) {
          clock.current = new Date(NOW - 500 * 24 * HOUR);
          const programme = await createProgramme(first, staff.admin, { countryCode });
          clock.current = new Date(NOW - (days * 24 + hours) * HOUR);
          const updated = await admin('POST', `/api/v1/programmes/${programme.id}/status-updates`, {
            health: 'on_track',
            summary: `Updated ${days} days and ${hours} hours before`,
          });
          expect(updated.statusCode).toBe(201);
          expectedProgrammes += 1;
        }
      }
    }
    // Only the status update ladder is asked about: closed milestones keep the scans short.
    await first.dataSource.query(`UPDATE milestones SET status = 'cancelled'`);
  }, 180_000);

  afterAll(async () => {
    for (const app of apps.slice(1)) await app.close();
    await apps[0]?.close();
  });

  const principal = (): Principal => ({
    ...staff.admin,
    displayName: 'Test admin',
    locale: 'en',
    timezone: null,
    passwordChangeRequired: false,
  });

  it.each(rules.map((given, index) => [index, JSON.stringify(given ?? 'defaults')]))(
    'should list in My queue exactly the programmes the scan finds stale (rules %i: %s)',
    async (index) => {
      const t = apps[index as number]!;
      const clock = controlClock(t, new Date(NOW).toISOString());
      const queue = t.app.get(WorkQueueQuery);
      const scan = t.app.get(ReminderScan);
      const sizes = new Set<number>();
      for (const hours of [0, 4, 7, 11, 14, 18, 21]) {
        clock.current = new Date(NOW + hours * HOUR);
        await t.dataSource.query(`DELETE FROM notifications`);
        await scan.scan();
        const reminded: { programmeId: string }[] = await t.dataSource.query(
          `SELECT DISTINCT programme_id AS "programmeId" FROM notifications
           WHERE kind = 'reminder.status_update_stale'`,
        );
        const listed = (await queue.forUser(principal(), 'en', clock.current)).stale as {
          id: string;
        }[];
        expect(new Set(listed.map((row) => row.id))).toEqual(
          new Set(reminded.map((row) => row.programmeId)),
        );
        sizes.add(listed.length);
      }
      // Not vacuous: some programmes are stale and some are not, and the set changes as the
      // countries' days turn over.
      for (const size of sizes) {
        expect(size).toBeGreaterThan(0);
        expect(size).toBeLessThan(expectedProgrammes);
      }
      expect(sizes.size).toBeGreaterThan(1);
    },
    120_000,
  );
});
