import type { Phase } from '../programmes/programme.constants.js';

/** The reminder ladders of docs/domain.md §5: when each step falls due (a product rule, configurable). */
export interface ReminderRules {
  milestoneDueSoon: { daysBefore: number[] };
  milestoneOverdue: { daysAfter: number[]; escalateFromDay: number };
  transitionWaiting: { firstAfterDays: number; everyDays: number };
  statusUpdateStale: { afterDays: number; escalateAfterDays: number };
  assessmentDraftStale: { afterDays: number };
  phaseAging: { thresholdDays: Partial<Record<Phase, number>>; everyDays: number };
  reassessmentDue: { afterMonths: number };
  campaignDueSoon: { daysBefore: number[] };
  campaignOverdue: { daysAfter: number[]; escalateFromDay: number };
}

export const DEFAULT_REMINDER_RULES: ReminderRules = {
  milestoneDueSoon: { daysBefore: [14, 3, 0] },
  milestoneOverdue: { daysAfter: [1, 7, 30], escalateFromDay: 7 },
  transitionWaiting: { firstAfterDays: 3, everyDays: 7 },
  statusUpdateStale: { afterDays: 30, escalateAfterDays: 60 },
  assessmentDraftStale: { afterDays: 21 },
  phaseAging: {
    thresholdDays: { readiness_assessment: 180, planning: 180, implementation: 365 },
    everyDays: 30,
  },
  reassessmentDue: { afterMonths: 12 },
  campaignDueSoon: { daysBefore: [14, 3] },
  campaignOverdue: { daysAfter: [1, 7], escalateFromDay: 7 },
};

const days = (value: unknown) =>
  Number.isInteger(value) && (value as number) >= 0 && (value as number) <= 3650;

/** The default rules with REMINDER_RULES (JSON, rule by rule) on top; throws naming what is wrong. */
export function reminderRules(overrides: string | undefined): ReminderRules {
  let given: Partial<ReminderRules> = {};
  if (overrides) {
    try {
      given = JSON.parse(overrides);
    } catch {
      throw new Error('REMINDER_RULES must be JSON');
    }
  }
  const rules = { ...DEFAULT_REMINDER_RULES, ...given };
  const problems: string[] = [];
  const check = (ok: boolean, what: string) => ok || problems.push(what);
  check(
    rules.milestoneDueSoon.daysBefore.length > 0 && rules.milestoneDueSoon.daysBefore.every(days),
    'milestoneDueSoon.daysBefore: whole days',
  );
  check(
    rules.milestoneOverdue.daysAfter.length > 0 &&
      rules.milestoneOverdue.daysAfter.every((d) => days(d) && d > 0),
    'milestoneOverdue.daysAfter: days after, 1 or more',
  );
  check(days(rules.milestoneOverdue.escalateFromDay), 'milestoneOverdue.escalateFromDay: a day');
  check(
    days(rules.transitionWaiting.firstAfterDays) &&
      days(rules.transitionWaiting.everyDays) &&
      rules.transitionWaiting.everyDays > 0,
    'transitionWaiting: days, every 1 or more',
  );
  check(
    days(rules.statusUpdateStale.afterDays) &&
      rules.statusUpdateStale.escalateAfterDays > rules.statusUpdateStale.afterDays,
    'statusUpdateStale: escalation after the first reminder',
  );
  check(days(rules.assessmentDraftStale.afterDays), 'assessmentDraftStale.afterDays: days');
  check(
    Object.values(rules.phaseAging.thresholdDays).every(days) && rules.phaseAging.everyDays > 0,
    'phaseAging: days',
  );
  check(
    Number.isInteger(rules.reassessmentDue.afterMonths) && rules.reassessmentDue.afterMonths > 0,
    'reassessmentDue.afterMonths: months',
  );
  check(
    rules.campaignDueSoon.daysBefore.length > 0 && rules.campaignDueSoon.daysBefore.every(days),
    'campaignDueSoon.daysBefore: whole days',
  );
  check(
    rules.campaignOverdue.daysAfter.length > 0 &&
      rules.campaignOverdue.daysAfter.every((d) => days(d) && d > 0) &&
      days(rules.campaignOverdue.escalateFromDay),
    'campaignOverdue.daysAfter: days after, 1 or more; escalateFromDay: a day',
  );
  if (problems.length > 0) throw new Error(`REMINDER_RULES: ${problems.join('; ')}`);
  return rules;
}
