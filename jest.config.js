/**
 * Unit specs sit beside the code (src/**), integration specs under test/; both run on ES modules.
 * `npm test` runs every spec, the timed ones last and alone; `npm run test:fast`
 * (jest.fast.config.js) leaves out the slow ones.
 */
const esm = {
  testEnvironment: 'node',
  rootDir: '.',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true }] },
};

/** The specs of queued work, run on both queue backends: Redis, and PostgreSQL without REDIS_URL. */
const QUEUE_SPECS = [
  'notifications',
  'reminders',
  'reports',
  'report-schedules',
  'event-notifications',
  'delivery-crash',
  'webhook-safety',
];

/**
 * Specs that time what they measure (page loads on a throttled line): `npm test` runs them alone,
 * after the rest (jest.timed.config.js), so that no other spec competes for the cores meanwhile.
 */
export const TIMED_SPECS = ['web-accessibility'];

export default {
  testTimeout: 30_000,
  // The specs wait on PostgreSQL, Redis and the browser more than they compute: two workers on
  // two cores. Each spec has its own database and its own queue prefix.
  maxWorkers: 2,
  projects: [
    { ...esm, displayName: 'unit', testMatch: ['<rootDir>/src/**/*.spec.ts'] },
    {
      ...esm,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/**/*.spec.ts'],
      testPathIgnorePatterns: ['/node_modules/', `/test/(${TIMED_SPECS.join('|')})\\.spec\\.ts$`],
      setupFiles: ['<rootDir>/test/support/queues-on-redis.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
    {
      ...esm,
      displayName: 'queues in PostgreSQL',
      testMatch: QUEUE_SPECS.map((name) => `<rootDir>/test/${name}.spec.ts`),
      setupFiles: ['<rootDir>/test/support/queues-in-postgres.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
  ],
};
