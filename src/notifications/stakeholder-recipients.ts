import type { StakeholderRecipient } from '../stakeholders/stakeholder-recipients.query.js';
import type { NotificationDraft } from './outbox.service.js';

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
