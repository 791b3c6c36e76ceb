import type { Links } from '../messages/links.js';
import type { NotificationDraft } from '../notifications/outbox.service.js';
import type { ReportFormat } from './dto/report.dto.js';
import type { ReportTexts } from './report-texts.js';
import type { ReportSnapshot } from './renderers/snapshot.js';

/**
 * The e-mails that carry a completed report's files to its recipients, one per address, in the
 * report's language. The subject keeps the as-of day as YYYY-MM-DD, which sorts and reads the
 * same in every language.
 */
export function reportEmails(
  reportId: string,
  snapshot: ReportSnapshot,
  formats: ReportFormat[],
  recipients: string[],
  links: Links,
  now: Date,
  texts: ReportTexts,
): NotificationDraft[] {
  const t: ReportTexts['t'] = (key, values) => texts.t(key, values);
  const scope = texts.scope(snapshot.scope);
  const overall = snapshot.overall;
  const bodyText = [
    t('email.attached', {
      scope,
      asOf: texts.instant(snapshot.asOf),
      formats: formats.join(', '),
    }),
    '',
    t('email.countries', { count: overall?.countries ?? 0 }),
    t('email.programmes', { count: overall?.programmes ?? 0 }),
    t('email.meanReadiness', {
      value:
        overall?.meanReadiness === null || overall?.meanReadiness === undefined
          ? t('email.notAssessed')
          : texts.number(overall.meanReadiness),
    }),
    t('email.changes', { count: snapshot.changes.items.length + snapshot.changes.kpis.length }),
    '',
    // The reports page, not the API: a recipient signed out of the tracker is asked to sign in
    // there, where the API's routes answer 401.
    t('email.online', { url: links.reportsPage() }),
  ].join('\n');
  return recipients.map((recipient) => ({
    kind: 'report.completed',
    channel: 'email',
    dedupeKey: `report:${reportId}:${recipient.toLowerCase()}`,
    recipient,
    locale: texts.locale,
    subject: t('email.subject', { scope, date: snapshot.asOf.slice(0, 10) }),
    bodyText,
    notBefore: now,
    reportId,
  }));
}
