import { DEFAULT_REMINDER_RULES, reminderRules } from './reminder-rules.js';

describe(reminderRules.name, () => {
  it('should use the ladders of the domain brief when nothing is configured', () => {
    expect(reminderRules(undefined)).toEqual(DEFAULT_REMINDER_RULES);
    expect(DEFAULT_REMINDER_RULES.milestoneOverdue).toEqual({
      daysAfter: [1, 7, 30],
      escalateFromDay: 7,
    });
  });

  it('should take a rule from REMINDER_RULES and keep the others', () => {
    const rules = reminderRules('{"milestoneDueSoon": {"daysBefore": [7, 1]}}');
    expect(rules.milestoneDueSoon.daysBefore).toEqual([7, 1]);
    expect(rules.transitionWaiting).toEqual(DEFAULT_REMINDER_RULES.transitionWaiting);
  });

  it('should refuse rules that are not JSON or do not make sense, naming them', () => {
    expect(() => reminderRules('{daysBefore')).toThrow('REMINDER_RULES must be JSON');
    expect(() =>
      reminderRules('{"milestoneOverdue": {"daysAfter": [0], "escalateFromDay": 7}}'),
    ).toThrow(/milestoneOverdue/);
    expect(() =>
      reminderRules('{"statusUpdateStale": {"afterDays": 60, "escalateAfterDays": 30}}'),
    ).toThrow(/statusUpdateStale/);
  });
});
