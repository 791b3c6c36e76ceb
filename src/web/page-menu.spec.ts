import { AccessPolicy } from '../auth/access-policy.js';
import type { Principal, Role } from '../auth/roles.js';
import { homeFor, menuFor, showsDecisionsWaiting } from './page-menu.js';

function user(role: Role, scope: Partial<Principal> = {}): Principal {
  return {
    id: 'u',
    email: 'u@example.org',
    displayName: 'U',
    role,
    countryCode: null,
    regionCode: null,
    locale: 'en',
    timezone: null,
    passwordChangeRequired: false,
    ...scope,
  };
}

describe('page menu', () => {
  const policy = new AccessPolicy();

  it.each([
    [
      'admin',
      user('admin'),
      [
        '/app/portfolio',
        '/app/queue',
        '/app/campaigns',
        '/app/reports',
        '/app/notifications',
        '/app/audit',
        '/app/users',
      ],
      '/app/portfolio',
    ],
    [
      'itu_pm',
      user('itu_pm'),
      [
        '/app/portfolio',
        '/app/queue',
        '/app/campaigns',
        '/app/reports',
        '/app/notifications',
        '/app/audit',
        '/app/users',
      ],
      '/app/portfolio',
    ],
    [
      'regional_coordinator',
      user('regional_coordinator', { regionCode: 'AFR' }),
      [
        '/app/portfolio',
        '/app/queue',
        '/app/campaigns',
        '/app/reports',
        '/app/notifications',
        '/app/audit',
      ],
      '/app/portfolio',
    ],
    [
      'national_team',
      user('national_team', { countryCode: 'KE' }),
      ['/app/countries/KE', '/app/notifications', '/app/audit'],
      '/app/countries/KE',
    ],
    ['observer', user('observer'), ['/app/portfolio', '/app/reports'], '/app/portfolio'],
  ])(
    'should offer %s the pages its rights open, and start it at its home',
    (_name, who, pages, home) => {
      expect(menuFor(policy, who).map((entry) => entry.href)).toEqual(pages);
      expect(homeFor(policy, who)).toBe(home);
    },
  );

  it('should show the decisions waiting beside My queue, and only when there are some', () => {
    expect(menuFor(policy, user('itu_pm'), 3)).toContainEqual({
      href: '/app/queue',
      label: 'myQueue',
      waiting: 3,
    });
    expect(menuFor(policy, user('itu_pm'), 0)).toContainEqual({
      href: '/app/queue',
      label: 'myQueue',
    });
    expect(menuFor(policy, user('itu_pm')).filter((entry) => 'waiting' in entry)).toEqual([]);
  });

  it.each([
    ['admin', true],
    ['itu_pm', true],
    ['regional_coordinator', true],
    ['national_team', false],
    ['observer', false],
  ] as const)('should count the decisions waiting for %s: %s', (role, counted) => {
    const who = user(role, { regionCode: 'AFR', countryCode: 'KE' });
    expect(showsDecisionsWaiting(policy, who)).toBe(counted);
    expect(menuFor(policy, who).some((entry) => entry.href === '/app/queue')).toBe(counted);
  });

  it('should label each entry with a catalog key', () => {
    expect(menuFor(policy, user('national_team', { countryCode: 'KE' }))).toEqual([
      { href: '/app/countries/KE', label: 'myCountry' },
      { href: '/app/notifications', label: 'notifications' },
      { href: '/app/audit', label: 'audit' },
    ]);
  });
});
