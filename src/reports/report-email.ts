import type { Links } from '../messages/links.js';
import type { NotificationDraft } from '../notifications/outbox.service.js';
import type { ReportFormat } from './dto/report.dto.js';
import { type ReportSnapshot, scopeLabel } from './renderers/snapshot.js';

/** The e-mails that carry a completed report's files to its recipients, one per address. */
export function reportEmails(
  reportId: string,
  snapshot: ReportSnapshot,
  formats: ReportFormat[],
  recipients: string[],
  links: Links,
  now: Date,
): NotificationDraft[] {
  const asOf = snapshot.asOf.slice(0, 10);
  const scope = scopeLabel(snapshot.scope);
  const overall = snapshot.overall;
  const bodyText = [
    `The CIRT readiness report for ${scope}, as of ${snapshot.asOf}, is attached (${formats.join(', ')}).`,
    '',
    `Countries: ${overall?.countries ?? 0}`,
    `Programmes: ${overall?.programmes ?? 0}`,
    `Mean readiness: ${overall?.meanReadiness ?? 'not assessed'}`,
    `Changes since the previous report: ${snapshot.changes.items.length}`,
    '',
    // The reports page, not the API: a recipient signed out of the tracker is asked to sign in
    // there, where the API's routes answer 401.
    `Online: ${links.reportsPage()}`,
  ].join('\n');
  return recipients.map((recipient) => ({
    kind: 'report.completed',
    channel: 'email',
    dedupeKey: `report:${reportId}:${recipient.toLowerCase()}`,
    recipient,
    locale: 'en',
    subject: `CIRT readiness report: ${scope}, ${asOf}`,
    bodyText,
    notBefore: now,
    reportId,
  }));
}
