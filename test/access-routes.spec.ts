import { createStaff, type Staff } from './factories/users.js';
import {
  type Fixtures,
  accessFixtures,
  accessMismatches,
  accessTable,
  routeRecorder,
  undeclaredAccessRules,
} from './support/access-table.js';
import { type TestApp, startTestApp } from './support/test-app.js';

describe('access rules of every route', () => {
  const recorder = routeRecorder();
  let t: TestApp;
  let staff: Staff;
  let fixtures: Fixtures;

  beforeAll(async () => {
    t = await startTestApp({ onRoute: recorder.onRoute });
    staff = await createStaff(t.dataSource);
    fixtures = await accessFixtures(t, staff);
  });
  afterAll(() => t.close());

  it('should declare an access rule on every controller method', () => {
    expect(undeclaredAccessRules(t.app)).toEqual([]);
  });

  it('should list every registered route in the access table, and nothing else', () => {
    expect([...recorder.routes].sort()).toEqual(
      Object.keys(accessTable(t, staff, fixtures)).sort(),
    );
  });

  // About 600 requests, each signing in a caller of its own: half a minute on a quiet machine.
  it('should answer each caller of each route with the status of the table', async () => {
    expect(await accessMismatches(t, staff, accessTable(t, staff, fixtures))).toEqual([]);
  }, 120_000);
});
