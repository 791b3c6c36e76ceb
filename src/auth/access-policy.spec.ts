import { DomainError } from '../common/domain-error.js';

/** The status of the DomainError that `act` throws, or 'allowed'. */
const statusOf = (act: () => void) => {
  try {
    act();
    return 'allowed';
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return error.status;
  }
};
import { AccessPolicy } from './access-policy.js';
import type { Principal, Role } from './roles.js';

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

const KENYA = { code: 'KE', regionCode: 'AFR' };
const GHANA = { code: 'GH', regionCode: 'AFR' };
const FRANCE = { code: 'FR', regionCode: 'EUR' };

describe(AccessPolicy.name, () => {
  const policy = new AccessPolicy();
  const admin = user('admin');
  const pm = user('itu_pm');
  const observer = user('observer');
  const coordinator = user('regional_coordinator', { regionCode: 'AFR' });
  const team = user('national_team', { countryCode: 'KE' });

  it.each([
    ['admin', admin, [true, true, true], [true, true, true]],
    ['itu_pm', pm, [true, true, true], [true, true, true]],
    ['observer', observer, [true, true, true], [false, false, false]],
    ['regional_coordinator of AFR', coordinator, [true, true, false], [false, false, false]],
    ['national_team of KE', team, [true, false, false], [true, false, false]],
  ])('should scope %s to the right countries (KE, GH, FR)', (_name, who, reads, writes) => {
    expect([KENYA, GHANA, FRANCE].map((country) => policy.canRead(who, country))).toEqual(reads);
    expect([KENYA, GHANA, FRANCE].map((country) => policy.canWrite(who, country))).toEqual(writes);
  });

  it('should see nothing when a scoped role has lost its scope', () => {
    expect(policy.canRead(user('national_team'), KENYA)).toBe(false);
    expect(policy.canRead(user('regional_coordinator'), KENYA)).toBe(false);
  });

  it('should answer 404 out of the read scope and 403 when it may read but not write', () => {
    expect(statusOf(() => policy.assertCanWrite(team, FRANCE, 'Programme'))).toBe(404);
    expect(statusOf(() => policy.assertCanWrite(coordinator, KENYA, 'Programme'))).toBe(403);
    expect(() => policy.assertCanWrite(team, KENYA, 'Programme')).not.toThrow();
  });

  it.each([
    ['admin', admin, true],
    ['itu_pm', pm, true],
    ['regional_coordinator', coordinator, true],
    ['national_team', team, true],
    ['observer', observer, false],
  ])('should let %s read what the teams write only when not an observer', (_name, who, worker) => {
    for (const what of ['programmes', 'transitions', 'assessments'] as const) {
      expect([what, policy.mayRead(who, what)]).toEqual([what, true]);
    }
    for (const what of [
      'assessmentAnswers',
      'milestones',
      'statusUpdates',
      'stakeholders',
      'audit',
      'notifications',
    ] as const) {
      expect([what, policy.mayRead(who, what)]).toEqual([what, worker]);
    }
  });

  it('should refuse (403) a role that may not read a kind of data, as the routes do', () => {
    expect(statusOf(() => policy.assertMayRead(observer, 'milestones'))).toBe(403);
    expect(() => policy.assertMayRead(team, 'milestones')).not.toThrow();
  });

  it('should write SQL conditions with numbered parameters after the existing ones', () => {
    const columns = { country: 'p.country_code', region: 'c.region_code' };
    const params: unknown[] = ['first'];
    expect(policy.scopeSql(policy.readScope(coordinator), columns, params)).toBe(
      'c.region_code = $2',
    );
    expect(policy.scopeSql(policy.readScope(team), columns, params)).toBe('p.country_code = $3');
    expect(params).toEqual(['first', 'AFR', 'KE']);
    expect(policy.scopeSql(policy.readScope(pm), columns, params)).toBe('TRUE');
    expect(policy.scopeSql(policy.writeScope(observer), columns, params)).toBe('FALSE');
  });
});
