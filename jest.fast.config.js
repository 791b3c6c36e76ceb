import base from './jest.config.js';

/**
 * The inner loop: unit and in-process integration specs, without a build. Left out, and run by
 * `npm test`: specs that drive a browser or start the built service, a Redis or crash workers.
 */
const SLOW = [
  'web-browser',
  'web-languages',
  'web-accessibility',
  'account-pages',
  'admin-tools-pages',
  'audit-pages',
  'invitations',
  'programme-pages',
  'report-schedule-pages',
  'stakeholder-pages',
  'user-pages',
  'delivery-crash',
  'demo',
  'redis-restart',
  'report-memory',
  'startup',
  'embedded-database',
];

export default {
  ...base,
  projects: base.projects
    .filter((project) => project.displayName !== 'queues in PostgreSQL')
    .map((project) => ({
      ...project,
      testPathIgnorePatterns: ['/node_modules/', `/test/(${SLOW.join('|')})\\.spec\\.ts$`],
    })),
};
