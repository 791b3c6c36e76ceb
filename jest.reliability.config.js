/**
 * The reliability drills (`npm run test:reliability`): apart from the main suite, one file at a
 * time, since some of them stop and start PostgreSQL and Redis under the others' feet.
 * RELIABILITY_MODE=quick shortens the timed drills for CI.
 */
export default {
  testEnvironment: 'node',
  rootDir: '.',
  testMatch: ['<rootDir>/test/reliability/**/*.drill.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true }] },
  globalSetup: '<rootDir>/test/reliability/setup.ts',
  globalTeardown: '<rootDir>/test/reliability/teardown.ts',
  maxWorkers: 1,
  testTimeout: 20 * 60_000,
};
