import { AccessPolicy } from './access-policy.js';
import { ROLES, type Principal, type Role } from './roles.js';

function user(role: Role): Principal {
  return {
    id: 'u',
    email: 'u@example.org',
    displayName: 'U',
    role,
    countryCode: role === 'national_team' ? 'KE' : null,
    regionCode: role === 'regional_coordinator' ? 'AFR' : null,
    locale: 'en',
    timezone: null,
    passwordChangeRequired: false,
  };
}

describe('ACTION_RIGHTS', () => {
  const policy = new AccessPolicy();

  it.each([
    ['admin', true, true, true, true, true, true],
    ['itu_pm', true, true, true, true, true, true],
    ['regional_coordinator', false, true, false, false, true, false],
    ['national_team', true, false, true, false, false, false],
    ['observer', false, false, false, false, false, false],
  ] as const)(
    'should let %s request phases %s, decide them %s, write country data %s, review %s, ask for reports %s, retry deliveries %s',
    (role, request, decide, write, review, reports, retry) => {
      const who = user(role);
      expect({
        requestTransitions: policy.mayDo(who, 'requestTransitions'),
        decideTransitions: policy.mayDo(who, 'decideTransitions'),
        writeMilestones: policy.mayDo(who, 'writeMilestones'),
        postStatusUpdates: policy.mayDo(who, 'postStatusUpdates'),
        writeStakeholders: policy.mayDo(who, 'writeStakeholders'),
        answerAssessments: policy.mayDo(who, 'answerAssessments'),
        reviewAssessments: policy.mayDo(who, 'reviewAssessments'),
        manageProgrammes: policy.mayDo(who, 'manageProgrammes'),
        requestReports: policy.mayDo(who, 'requestReports'),
        retryNotifications: policy.mayDo(who, 'retryNotifications'),
        sendTestNotifications: policy.mayDo(who, 'sendTestNotifications'),
        runReminderScans: policy.mayDo(who, 'runReminderScans'),
        manageReportSchedules: policy.mayDo(who, 'manageReportSchedules'),
      }).toEqual({
        requestTransitions: request,
        decideTransitions: decide,
        writeMilestones: write,
        postStatusUpdates: write,
        writeStakeholders: write,
        answerAssessments: write,
        reviewAssessments: review,
        manageProgrammes: review,
        requestReports: reports,
        retryNotifications: retry,
        sendTestNotifications: retry,
        runReminderScans: retry,
        manageReportSchedules: retry,
      });
    },
  );

  it('should give the rights to write country data to exactly the roles with a write scope', () => {
    for (const role of ROLES) {
      const hasWriteScope = policy.writeScope(user(role)).kind !== 'none';
      for (const right of [
        'requestTransitions',
        'writeMilestones',
        'postStatusUpdates',
        'writeStakeholders',
        'answerAssessments',
      ] as const) {
        expect([role, right, policy.mayDo(user(role), right)]).toEqual([
          role,
          right,
          hasWriteScope,
        ]);
      }
    }
  });
});
