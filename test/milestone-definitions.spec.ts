import { localDate } from '../src/common/dates.js';
import { MILESTONE_STATUSES } from '../src/milestones/milestone.constants.js';
import { isOverdueMilestone, overdueMilestoneSql } from '../src/milestones/milestone.sql.js';
import { type TestApp, startTestApp } from './support/test-app.js';

/**
 * "Overdue in the country's calendar" has a SQL side (lists, reports, the queue, the scan) and a
 * TypeScript side (a milestone answered after a write): both sides of milestone.sql.ts agree,
 * for every status, around midnight in zones on either side of UTC.
 */
describe('overdue milestones', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('should be the same in SQL and in TypeScript, whatever the status, zone and hour', async () => {
    const cases: [string, string, string, string][] = [];
    for (const status of MILESTONE_STATUSES) {
      for (const timezone of ['Pacific/Apia', 'Asia/Kathmandu', 'America/Lima']) {
        for (const at of ['2027-06-15T10:30:00Z', '2027-06-15T23:30:00Z', '2027-06-16T04:59:00Z']) {
          for (const dueDate of ['2027-06-14', '2027-06-15', '2027-06-16', '2027-06-17']) {
            cases.push([status, timezone, at, dueDate]);
          }
        }
      }
    }
    const rows: { overdue: boolean }[] = await t.dataSource.query(
      `SELECT ${overdueMilestoneSql('m', 'm.timezone', 'm.at')} AS overdue
       FROM jsonb_to_recordset($1::jsonb) AS m(status text, timezone text, at timestamptz, due_date date, i int)
       ORDER BY m.i`,
      [
        JSON.stringify(
          cases.map(([status, timezone, at, dueDate], i) => ({
            status,
            timezone,
            at,
            due_date: dueDate,
            i,
          })),
        ),
      ],
    );
    const typescript = cases.map(([status, timezone, at, dueDate]) =>
      isOverdueMilestone(
        { status: status as (typeof MILESTONE_STATUSES)[number], dueDate },
        localDate(new Date(at), timezone),
      ),
    );
    expect(rows.map((row) => row.overdue)).toEqual(typescript);
    expect(typescript.filter(Boolean).length).toBeGreaterThan(0);
    expect(typescript.filter((overdue) => !overdue).length).toBeGreaterThan(0);
  });
});
