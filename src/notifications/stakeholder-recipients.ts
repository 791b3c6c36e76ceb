import type { EntityManager } from 'typeorm';
import type { NotificationDraft } from './outbox.service.js';

/** A stakeholder who takes notifications, as reminders and event notifications address them. */
export interface StakeholderRecipient {
  id: string;
  countryCode: string;
  name: string;
  email: string;
  role: string;
  locale: string;
  /** The stakeholder's own time zone, else the country's. */
  timezone: string;
  webhookUrl: string | null;
  countryName: string;
}

/** The stakeholders who take notifications in these countries, with the country's name in their language. */
export async function stakeholderRecipients(
  manager: EntityManager,
  countryCodes: string[],
): Promise<StakeholderRecipient[]> {
  if (countryCodes.length === 0) return [];
  return manager.query(
    `SELECT s.id, s.country_code AS "countryCode", s.name, s.email, s.role, s.locale,
            coalesce(s.timezone, c.timezone) AS timezone, s.webhook_url AS "webhookUrl",
            coalesce(c.names ->> s.locale, c.names ->> 'en') AS "countryName"
     FROM stakeholders s JOIN countries c ON c.code = s.country_code
     WHERE s.country_code = ANY($1) AND s.removed_at IS NULL AND s.notify`,
    [countryCodes],
  );
}

/**
 * One message to a stakeholder: an e-mail, and a webhook call too when the stakeholder has a
 * webhook. `key` names the message and the recipient; the channel completes the dedupe key.
 */
export function stakeholderDrafts(
  recipient: StakeholderRecipient,
  key: string,
  message: Omit<NotificationDraft, 'channel' | 'dedupeKey' | 'recipient' | 'stakeholderId'>,
  payload: object,
): NotificationDraft[] {
  const base = { ...message, stakeholderId: recipient.id };
  const drafts: NotificationDraft[] = [
    { ...base, channel: 'email', dedupeKey: `${key}:email`, recipient: recipient.email },
  ];
  if (recipient.webhookUrl) {
    drafts.push({
      ...base,
      channel: 'webhook',
      dedupeKey: `${key}:webhook`,
      recipient: recipient.webhookUrl,
      payload,
    });
  }
  return drafts;
}
