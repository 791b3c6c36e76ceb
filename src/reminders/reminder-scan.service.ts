import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock.js';
import { AppConfig } from '../config/app-config.js';
import { OutboxWriter } from '../notifications/outbox-writer.js';
import type { NotificationDraft } from '../notifications/outbox.service.js';
import { type ReminderRules, reminderRules } from './reminder-rules.js';
import { type ReminderCandidate, ReminderScanQuery } from './reminder-scan.query.js';
import { Links } from '../messages/links.js';
import { resolveLocale } from '../messages/locales.js';
import { milestoneTitle } from '../milestones/milestone-title.js';
import { type Audience, renderMessage } from '../messages/message-renderer.js';
import { stakeholderDrafts } from '../notifications/stakeholder-recipients.js';
import {
  type StakeholderRecipient,
  stakeholderRecipients,
} from '../stakeholders/stakeholder-recipients.query.js';
import {
  nextWorkingTime,
  parseWorkingHours,
  type WorkingHours,
} from '../messages/working-hours.js';
import { type UserRecipient, userRecipients } from '../users/user-recipients.query.js';
import type { ReminderKind } from './reminder-kinds.js';

/** A reminder step that has fallen due for a subject (a milestone, a transition, a programme...). */
interface DueReminder extends ReminderCandidate {
  rule: ReminderKind;
  step: number;
  /** Stakeholder roles to remind; the milestone owner is named by ownerId. */
  roles: string[];
  /** Roles of users to remind: the country's team, its region's coordinators. */
  userRoles?: UserRecipient['role'][];
}

/** Due reminders rendered and written per statement of a scan. */
const SCAN_CHUNK = 500;

/** The largest step at or below `value`, or undefined when none is reached yet. */
function reached(steps: number[], value: number): number | undefined {
  return steps.filter((step) => step <= value).sort((a, b) => b - a)[0];
}

/**
 * Finds, for the whole portfolio at once, the reminder steps that have fallen due (docs/domain.md §5)
 * and writes one notification per step, recipient and channel into the outbox. The dedupe key
 * (rule, subject, step, recipient, channel) makes any number of scans write each reminder once.
 */
@Injectable()
export class ReminderScan {
  private readonly logger = new Logger(ReminderScan.name);
  private readonly rules: ReminderRules;
  private readonly hours: WorkingHours | null;
  private readonly links: Links;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly query: ReminderScanQuery,
    private readonly outbox: OutboxWriter,
    private readonly clock: Clock,
    config: AppConfig,
  ) {
    this.links = new Links(config);
    this.rules = reminderRules(config.REMINDER_RULES);
    this.hours = parseWorkingHours(config.REMINDER_WORKING_HOURS);
  }

  async scan(): Promise<{ due: number; written: number }> {
    const now = this.clock.now();
    const due = (
      await Promise.all([
        this.milestonesDueSoon(now),
        this.milestonesOverdue(now),
        this.transitionsWaiting(now),
        this.staleStatusUpdates(now),
        this.staleDrafts(now),
        this.agingPhases(now),
        this.reassessmentsDue(now),
        this.campaignsDueSoon(now),
        this.campaignsOverdue(now),
      ])
    ).flat();
    const recipients = new Map<string, StakeholderRecipient[]>();
    for (const recipient of await stakeholderRecipients(this.dataSource.manager, [
      ...new Set(due.map((r) => r.countryCode)),
    ])) {
      const inCountry = recipients.get(recipient.countryCode);
      if (inCountry) inCountry.push(recipient);
      else recipients.set(recipient.countryCode, [recipient]);
    }
    const members = new Map<string, UserRecipient[]>();
    for (const user of await userRecipients(this.dataSource.manager, [
      ...new Set(due.filter((r) => r.userRoles).map((r) => r.countryCode)),
    ])) {
      members.set(user.countryCode, [...(members.get(user.countryCode) ?? []), user]);
    }
    // Rendered and written a chunk at a time, each chunk committed on its own: memory and
    // statements stay small however many reminders fall due, each chunk renders while
    // PostgreSQL writes the one before, and the relay sends the first reminders while the scan
    // writes the rest. A scan that stops halfway loses nothing: the next one writes what is
    // missing, and the dedupe keys keep what is written from being written twice.
    let drafted = 0;
    let written = 0;
    let writing: Promise<number> | undefined;
    try {
      for (let start = 0; start < due.length; start += SCAN_CHUNK) {
        const drafts = due
          .slice(start, start + SCAN_CHUNK)
          .flatMap((reminder) =>
            this.drafts(
              reminder,
              recipients.get(reminder.countryCode) ?? [],
              members.get(reminder.countryCode) ?? [],
              now,
            ),
          );
        drafted += drafts.length;
        if (writing) written += await writing;
        writing = this.outbox.add(this.dataSource.manager, drafts);
      }
      written += (await writing) ?? 0;
    } catch (error) {
      // Let the statement in flight end before the scan fails.
      await writing?.catch(() => undefined);
      throw error;
    }
    if (written > 0) this.logger.log(`Reminder scan: ${written} new of ${drafted} due`);
    return { due: drafted, written };
  }

  private async milestonesDueSoon(now: Date): Promise<DueReminder[]> {
    const steps = this.rules.milestoneDueSoon.daysBefore;
    const rows = await this.query.milestonesDueWithin(now, Math.max(...steps));
    return rows.flatMap((row) => {
      // The nearest step already reached: 10 days before due is the 14-day reminder.
      const step = steps.filter((s) => row.days <= s).sort((a, b) => a - b)[0];
      return step === undefined
        ? []
        : [
            {
              ...row,
              rule: 'milestone_due_soon' as const,
              step,
              roles: row.ownerId ? [] : ['national_focal_point'],
            },
          ];
    });
  }

  private async milestonesOverdue(now: Date): Promise<DueReminder[]> {
    const { daysAfter, escalateFromDay } = this.rules.milestoneOverdue;
    const rows = await this.query.milestonesOverdueBy(now, Math.min(...daysAfter));
    return rows.flatMap((row) => {
      const step = reached(daysAfter, row.days);
      if (step === undefined) return [];
      const roles = [
        'national_focal_point',
        ...(step >= escalateFromDay ? ['itu_project_manager', 'regional_coordinator'] : []),
      ];
      return [{ ...row, rule: 'milestone_overdue' as const, step, roles }];
    });
  }

  private async transitionsWaiting(now: Date): Promise<DueReminder[]> {
    const { firstAfterDays, everyDays } = this.rules.transitionWaiting;
    const rows = await this.query.transitionsWaiting(now, firstAfterDays);
    return rows.map((row) => ({
      ...row,
      rule: 'transition_waiting',
      step: firstAfterDays + everyDays * Math.floor((row.days - firstAfterDays) / everyDays),
      roles: ['itu_project_manager', 'regional_coordinator'],
    }));
  }

  private async staleStatusUpdates(now: Date): Promise<DueReminder[]> {
    const { afterDays, escalateAfterDays } = this.rules.statusUpdateStale;
    const rows = await this.query.staleStatusUpdates(now, afterDays);
    return rows.map((row) => {
      const escalated = row.days >= escalateAfterDays;
      return {
        ...row,
        rule: 'status_update_stale',
        step: escalated ? escalateAfterDays : afterDays,
        roles: [escalated ? 'itu_project_manager' : 'national_focal_point'],
      };
    });
  }

  private async staleDrafts(now: Date): Promise<DueReminder[]> {
    const rows = await this.query.staleDrafts(now, this.rules.assessmentDraftStale.afterDays);
    return rows.map((row) => ({
      ...row,
      rule: 'assessment_draft_stale',
      step: this.rules.assessmentDraftStale.afterDays,
      roles: ['national_focal_point'],
    }));
  }

  private async agingPhases(now: Date): Promise<DueReminder[]> {
    const { thresholdDays, everyDays } = this.rules.phaseAging;
    const rows = await this.query.agingPhases(now, thresholdDays);
    return rows.map((row) => {
      const threshold = thresholdDays[row.phase as keyof typeof thresholdDays]!;
      return {
        ...row,
        rule: 'phase_aging',
        step: threshold + everyDays * Math.floor((row.days - threshold) / everyDays),
        roles: ['itu_project_manager', 'regional_coordinator'],
      };
    });
  }

  private async reassessmentsDue(now: Date): Promise<DueReminder[]> {
    const rows = await this.query.reassessmentsDue(now, this.rules.reassessmentDue.afterMonths);
    return rows.map((row) => ({
      ...row,
      rule: 'reassessment_due',
      step: 0,
      roles: ['national_focal_point', 'cirt_lead'],
    }));
  }

  private async campaignsDueSoon(now: Date): Promise<DueReminder[]> {
    const steps = this.rules.campaignDueSoon.daysBefore;
    const rows = await this.query.campaignDraftsDueWithin(now, Math.max(...steps));
    return rows.flatMap((row) => {
      // The nearest step already reached, as for milestones.
      const step = steps.filter((s) => row.days <= s).sort((a, b) => a - b)[0];
      return step === undefined
        ? []
        : [
            {
              ...row,
              rule: 'campaign_due_soon' as const,
              step,
              roles: ['national_focal_point'],
              userRoles: ['national_team' as const],
            },
          ];
    });
  }

  private async campaignsOverdue(now: Date): Promise<DueReminder[]> {
    const { daysAfter, escalateFromDay } = this.rules.campaignOverdue;
    const rows = await this.query.campaignDraftsOverdueBy(now, Math.min(...daysAfter));
    return rows.flatMap((row) => {
      const step = reached(daysAfter, row.days);
      if (step === undefined) return [];
      const userRoles: UserRecipient['role'][] = [
        'national_team',
        ...(step >= escalateFromDay ? (['regional_coordinator'] as const) : []),
      ];
      return [
        {
          ...row,
          rule: 'campaign_overdue' as const,
          step,
          roles: ['national_focal_point'],
          userRoles,
        },
      ];
    });
  }

  private drafts(
    reminder: DueReminder,
    inCountry: StakeholderRecipient[],
    members: UserRecipient[],
    now: Date,
  ): NotificationDraft[] {
    const users = members.filter((user) => reminder.userRoles?.includes(user.role));
    // A stakeholder who is also a user reminded here hears it once, as the user.
    const told = new Set(users.map((user) => user.email.toLowerCase()));
    const chosen = inCountry.filter(
      (r) =>
        (r.id === reminder.ownerId || reminder.roles.includes(r.role)) &&
        !told.has(r.email.toLowerCase()),
    );
    const focalPoint = inCountry.find((r) => r.role === 'national_focal_point');
    const pm = inCountry.find((r) => r.role === 'itu_project_manager');
    const common = {
      kind: `reminder.${reminder.rule}`,
      programmeId: reminder.programmeId,
      countryCode: reminder.countryCode,
    };
    const toStakeholders = chosen.flatMap((recipient) => {
      const contact = recipient.id === focalPoint?.id ? pm : focalPoint;
      const message = this.message(reminder, recipient, 'stakeholder', contact);
      return stakeholderDrafts(
        recipient,
        `${reminder.rule}:${reminder.subject}:${reminder.step}:${recipient.id}`,
        {
          ...common,
          locale: recipient.locale,
          subject: message.subject,
          bodyText: message.text,
          bodyHtml: message.html,
          notBefore: nextWorkingTime(now, recipient.timezone, this.hours),
        },
        {
          type: `reminder.${reminder.rule}`,
          step: reminder.step,
          programmeId: reminder.programmeId,
          countryCode: reminder.countryCode,
          subject: message.subject,
          text: message.text,
          days: reminder.days,
          dueDate: reminder.dueDate ?? null,
        },
      );
    });
    const toUsers = users.map((user): NotificationDraft => {
      const message = this.message(reminder, user, 'member', focalPoint);
      return {
        ...common,
        channel: 'email',
        dedupeKey: `${reminder.rule}:${reminder.subject}:${reminder.step}:${user.id}:email`,
        recipient: user.email,
        locale: user.locale,
        subject: message.subject,
        bodyText: message.text,
        bodyHtml: message.html,
        notBefore: nextWorkingTime(now, user.timezone, this.hours),
      };
    });
    return [...toStakeholders, ...toUsers];
  }

  private message(
    reminder: DueReminder,
    recipient: { name: string; locale: string; countryName: string },
    audience: Audience,
    contact: StakeholderRecipient | undefined,
  ) {
    return renderMessage(
      reminder.rule,
      recipient.locale,
      {
        recipientName: recipient.name,
        countryName: recipient.countryName,
        programmeTitle: reminder.programmeTitle,
        url: reminder.assessmentId
          ? this.links.assessmentPage(reminder.assessmentId)
          : this.links.countryPage(reminder.countryCode),
        milestoneTitle:
          reminder.milestoneTitle === undefined
            ? undefined
            : milestoneTitle(
                { title: reminder.milestoneTitle, planKey: reminder.planKey ?? null },
                resolveLocale(recipient.locale),
              ).text,
        campaignTitle: reminder.campaignTitle,
        dueDate: reminder.dueDate,
        days: reminder.days,
        phase: reminder.phase,
        contactName: contact?.name,
        contactEmail: contact?.email,
      },
      audience,
    );
  }
}
