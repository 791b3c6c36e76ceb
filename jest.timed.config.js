import base, { TIMED_SPECS } from './jest.config.js';

/** The timed specs (TIMED_SPECS), one at a time and with nothing else running: `npm run test:timed`. */
const integration = base.projects.find((project) => project.displayName === 'integration');

export default {
  ...base,
  maxWorkers: 1,
  projects: [
    {
      ...integration,
      displayName: 'timed',
      testMatch: TIMED_SPECS.map((name) => `<rootDir>/test/${name}.spec.ts`),
      testPathIgnorePatterns: ['/node_modules/'],
    },
  ],
};
