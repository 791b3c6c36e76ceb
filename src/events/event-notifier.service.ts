import { Injectable } from '@nestjs/common';
import { type Locale, resolveLocale } from '../messages/locales.js';
import type { EntityManager } from 'typeorm';
import type { Principal } from '../auth/roles.js';
import { Clock } from '../common/clock.js';
import { AppConfig } from '../config/app-config.js';
import { Links } from '../messages/links.js';
import { type MessageParams, renderMessage } from '../messages/message-renderer.js';
import {
  nextWorkingTime,
  parseWorkingHours,
  type WorkingHours,
} from '../messages/working-hours.js';
import { OutboxWriter } from '../notifications/outbox-writer.js';
import type { NotificationDraft } from '../notifications/outbox.service.js';
import { stakeholderDrafts } from '../notifications/stakeholder-recipients.js';
import type { StakeholderRole } from '../stakeholders/stakeholder.constants.js';
import { stakeholderRecipients } from '../stakeholders/stakeholder-recipients.query.js';
import { EventAudienceQuery, type UserAudience } from './event-audience.query.js';
import type { EventKind } from './event-kinds.js';
import { EventsRepository, type NewDigestItem } from './events.repository.js';

/** Who hears of each kind of event (issue 12). */
const AUDIENCE: Record<EventKind, { users: UserAudience[]; stakeholders: StakeholderRole[] }> = {
  transition_requested: {
    users: ['regional_coordinator', 'itu_pm'],
    stakeholders: ['itu_project_manager', 'regional_coordinator'],
  },
  transition_approved: {
    users: ['concerned', 'national_team'],
    stakeholders: ['national_focal_point'],
  },
  transition_rejected: {
    users: ['concerned', 'national_team'],
    stakeholders: ['national_focal_point'],
  },
  assessment_submitted: { users: ['itu_pm'], stakeholders: [] },
  assessment_returned: { users: ['national_team'], stakeholders: ['national_focal_point'] },
  assessment_validated: { users: ['national_team'], stakeholders: ['national_focal_point'] },
  milestone_blocked: {
    users: ['itu_pm', 'regional_coordinator'],
    stakeholders: ['regional_coordinator'],
  },
  status_off_track: {
    users: ['itu_pm', 'regional_coordinator'],
    stakeholders: ['regional_coordinator'],
  },
  report_completed: { users: ['concerned'], stakeholders: [] },
};

export interface EventNotice {
  kind: EventKind;
  /** Names the change (e.g. the transition id): with the kind and the person, the dedupe key. */
  subject: string;
  /** Who made the change; they are not told of it. Null for the workers' own changes. */
  actor: Principal | null;
  /** The programme the event is about, whose country and region set its audience. */
  programmeId?: string;
  /** The user the event concerns: the requester of a transition, the user who asked for a report. */
  concernedUserId?: string | null;
  /** The page the message links to, from Links; the country's workspace page by default. */
  link?: string;
  params?: Pick<MessageParams, 'phase' | 'note' | 'scope'>;
  /** The title of the milestone the event is about, in each language: each reads their own. */
  milestoneTitles?: Record<Locale, string>;
}

/**
 * Tells the people concerned of an event, in the transaction of the change that caused it: a
 * change that is refused or rolled back tells nobody. Users hear of it as their preferences
 * say (at once, in the next daily digest, or not at all); stakeholders as reminders reach them,
 * in their language and working hours. A person is told once per event, whatever the number of
 * roles or records they have: the dedupe keys hold the e-mail address.
 */
@Injectable()
export class EventNotifier {
  private readonly hours: WorkingHours | null;
  private readonly links: Links;

  constructor(
    private readonly events: EventsRepository,
    private readonly audiences: EventAudienceQuery,
    private readonly outbox: OutboxWriter,
    private readonly clock: Clock,
    config: AppConfig,
  ) {
    this.links = new Links(config);
    this.hours = parseWorkingHours(config.REMINDER_WORKING_HOURS);
  }

  async notify(manager: EntityManager, event: EventNotice): Promise<void> {
    const audience = AUDIENCE[event.kind];
    const now = this.clock.now();
    const programme = event.programmeId
      ? await this.audiences.programme(event.programmeId, manager)
      : undefined;
    const url = event.link ?? this.links.countryPage(programme?.countryCode ?? '');
    const key = (email: string) => `event:${event.kind}:${event.subject}:${email.toLowerCase()}`;
    const message = (
      recipientName: string,
      countryName: string | null,
      locale: string,
      as: 'user' | 'stakeholder',
    ) =>
      renderMessage(
        event.kind,
        locale,
        {
          ...event.params,
          milestoneTitle: event.milestoneTitles?.[resolveLocale(locale)],
          recipientName,
          countryName: countryName ?? undefined,
          programmeTitle: programme?.title,
          actorName: event.actor?.displayName,
          url,
        },
        as,
      );
    const common = {
      kind: `event.${event.kind}`,
      programmeId: event.programmeId ?? null,
      countryCode: programme?.countryCode ?? null,
    };

    const users = await this.audiences.users(
      {
        kind: event.kind,
        countryCode: programme?.countryCode ?? null,
        actorId: event.actor?.id ?? null,
        concernedUserId: event.concernedUserId ?? null,
      },
      audience.users,
      manager,
    );
    const drafts: NotificationDraft[] = [];
    const digest: NewDigestItem[] = [];
    for (const user of users) {
      if (user.mode === 'off') continue;
      const rendered = message(user.name, user.countryName, user.locale, 'user');
      if (user.mode === 'daily_digest') {
        digest.push({
          userId: user.id,
          dedupeKey: `event:${event.kind}:${event.subject}:${user.id}`,
          kind: event.kind,
          subject: rendered.subject,
          url,
          occurredAt: now,
        });
        continue;
      }
      drafts.push({
        ...common,
        channel: 'email',
        dedupeKey: key(user.email),
        recipient: user.email,
        locale: user.locale,
        subject: rendered.subject,
        bodyText: rendered.text,
        bodyHtml: rendered.html,
        notBefore: now,
      });
    }

    // A stakeholder who is also one of the users told above follows that user's preferences.
    const told = new Set(users.map((user) => user.email.toLowerCase()));
    const stakeholders =
      programme && audience.stakeholders.length > 0
        ? (await stakeholderRecipients(manager, [programme.countryCode])).filter(
            (s) =>
              (audience.stakeholders as string[]).includes(s.role) &&
              !told.has(s.email.toLowerCase()),
          )
        : [];
    for (const stakeholder of stakeholders) {
      const rendered = message(
        stakeholder.name,
        stakeholder.countryName,
        stakeholder.locale,
        'stakeholder',
      );
      drafts.push(
        ...stakeholderDrafts(
          stakeholder,
          key(stakeholder.email),
          {
            ...common,
            locale: stakeholder.locale,
            subject: rendered.subject,
            bodyText: rendered.text,
            bodyHtml: rendered.html,
            notBefore: nextWorkingTime(now, stakeholder.timezone, this.hours),
          },
          {
            type: `event.${event.kind}`,
            programmeId: event.programmeId ?? null,
            countryCode: programme?.countryCode ?? null,
            subject: rendered.subject,
            text: rendered.text,
            note: event.params?.note ?? null,
          },
        ),
      );
    }

    await this.outbox.add(manager, drafts);
    if (digest.length > 0) {
      await this.events.insertDigestItems(digest, manager);
    }
  }
}
