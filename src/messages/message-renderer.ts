import { formatCalendarDate } from './calendar-date.js';
import { type MessageValues, formatMessage, hasMessage } from './catalog.js';
import { type Locale, resolveLocale, textDirection } from './locales.js';
import en from './emails/en.json' with { type: 'json' };
import { escapeHtml } from './escape-html.js';

type Catalog = typeof en;
type MessageKey = keyof Catalog;

/**
 * What a message can be about: every catalog entry `<kind>.subject` but the digest's and the
 * invitation's, which have layouts of their own. Reminders (src/reminders) and events (src/events) name their kinds with
 * `satisfies readonly MessageKind[]`, so a kind without its catalog entries fails to compile and
 * this module needs to know neither of them.
 */
export type MessageKind = Exclude<
  { [K in MessageKey]: K extends `${infer Kind}.subject` ? Kind : never }[MessageKey],
  'digest' | 'invitation'
>;

export const MESSAGE_KINDS = Object.keys(en)
  .filter(
    (key) => key.endsWith('.subject') && key !== 'digest.subject' && key !== 'invitation.subject',
  )
  .map((key) => key.slice(0, -'.subject'.length) as MessageKind);

export interface MessageParams {
  recipientName: string;
  // Every message about a programme needs these two; a message missing a value it names throws.
  countryName?: string; // already in the recipient's language
  programmeTitle?: string;
  actorName?: string; // events: who made the change
  scope?: string; // report_completed: what the report covers
  /** The page the message links to, built by Links: the country's, or the reports page. */
  url: string;
  milestoneTitle?: string; // milestone_due_soon, milestone_overdue
  campaignTitle?: string; // campaign_due_soon, campaign_overdue
  dueDate?: string; // YYYY-MM-DD; milestone kinds, reassessment_due
  days?: number; // days left (due soon, 0 = today), days overdue, days waiting, days since last update/touch, days in phase
  phase?: string; // phase key, e.g. 'planning' (transition_waiting: the requested phase; phase_aging: current phase)
  contactName?: string;
  contactEmail?: string;
  note?: string; // a decision or return note, shown as a paragraph of its own
}

/**
 * Stakeholders hear as contacts of a country; users because of their notification preferences,
 * or (`member`) as members of the team or region a reminder's work is for.
 */
export type Audience = 'stakeholder' | 'user' | 'member';

export interface RenderedMessage {
  subject: string;
  text: string;
  html: string;
}

// Keys typed against en.json, so that a missing entry fails to compile.
function format(locale: Locale, key: MessageKey, values: MessageValues): string {
  return formatMessage('emails', locale, key, values);
}

function phaseName(locale: Locale, phase: string): string {
  const key = `phase.${phase}`;
  return hasMessage('emails', key) ? format(locale, key as MessageKey, {}) : phase;
}

function layout(lang: Locale, subject: string, paragraphs: string[], footer: string) {
  const text = [...paragraphs, footer].join('\n\n');
  // The whole formatted sentence is escaped, not just the arguments, so nothing a catalog
  // or a value contains (e.g. the "<e-mail>" of the contact line) can become markup.
  const html = [
    '<!DOCTYPE html>',
    `<html lang="${lang}" dir="${textDirection(lang)}">`,
    `<head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>`,
    '<body>',
    ...paragraphs.map((paragraph) => `<p>${linkify(paragraph)}</p>`),
    `<p><small>${escapeHtml(footer)}</small></p>`,
    '</body>',
    '</html>',
  ].join('\n');
  return { subject, text, html };
}

/** Escapes a paragraph and makes the URL that ends it, if any, a link. */
function linkify(paragraph: string): string {
  const match = /^(.*\s)?(https?:\/\/\S+)$/s.exec(paragraph);
  if (!match) return escapeHtml(paragraph);
  const url = escapeHtml(match[2]);
  return `${escapeHtml(match[1] ?? '')}<a href="${url}">${url}</a>`;
}

/** A reminder or event notice: greeting, body, note, contact, link and footer. */
export function renderMessage(
  kind: MessageKind,
  locale: string,
  params: MessageParams,
  audience: Audience = 'stakeholder',
): RenderedMessage {
  const lang = resolveLocale(locale);
  const values: MessageValues = {
    hasEmail: params.contactEmail ? 'yes' : 'no',
    ...(params.phase === undefined ? {} : { phaseName: phaseName(lang, params.phase) }),
  };
  // Absent params are left out rather than passed as undefined, so that a message needing
  // one throws a MissingValueError instead of rendering an empty gap.
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined) values[name] = value;
  }
  if (params.dueDate !== undefined) values.dueDate = formatCalendarDate(lang, params.dueDate);
  const t = (key: MessageKey) => format(lang, key, values);

  const paragraphs = [t('common.greeting'), t(`${kind}.body`)];
  if (params.note) paragraphs.push(t('common.note'));
  if (params.contactName) paragraphs.push(t('common.contact'));
  const linkKey = `${kind}.link`;
  paragraphs.push(
    `${t(hasMessage('emails', linkKey) ? (linkKey as MessageKey) : 'common.link')} ${params.url}`,
  );
  return layout(
    lang,
    t(`${kind}.subject`),
    paragraphs,
    t(
      audience === 'user'
        ? 'common.footer_user'
        : audience === 'member'
          ? 'common.footer_member'
          : 'common.footer',
    ),
  );
}

export interface DigestEntry {
  subject: string;
  url: string;
}

/** One e-mail listing a day's events, in the order they happened. */
export function renderDigest(
  locale: string,
  params: { recipientName: string; date: string; entries: DigestEntry[] },
): RenderedMessage {
  const lang = resolveLocale(locale);
  const values: MessageValues = {
    recipientName: params.recipientName,
    date: formatCalendarDate(lang, params.date),
    count: params.entries.length,
  };
  const t = (key: MessageKey) => format(lang, key, values);
  const paragraphs = [
    t('common.greeting'),
    t('digest.body'),
    ...params.entries.map((entry) => `• ${entry.subject}: ${entry.url}`),
  ];
  return layout(lang, t('digest.subject'), paragraphs, t('common.footer_user'));
}

const instants = new Map<Locale, Intl.DateTimeFormat>();

/** An instant in UTC as the language writes it (the e-mail says "UTC" after it). */
function formatUtcInstant(locale: Locale, instant: Date): string {
  let format = instants.get(locale);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, {
      dateStyle: 'medium',
      timeStyle: 'short',
      timeZone: 'UTC',
    });
    instants.set(locale, format);
  }
  return format.format(instant);
}

/**
 * The e-mail that invites a new user to choose their password: who invited them (null: an
 * operator at the server's shell), the link, and until when it works.
 */
export function renderInvitation(
  locale: string,
  params: {
    recipientName: string;
    email: string;
    inviterName: string | null;
    url: string;
    expiresAt: Date;
  },
): RenderedMessage {
  const lang = resolveLocale(locale);
  const values: MessageValues = {
    recipientName: params.recipientName,
    email: params.email,
    hasInviter: params.inviterName ? 'yes' : 'no',
    inviterName: params.inviterName ?? '',
    expiresAt: formatUtcInstant(lang, params.expiresAt),
  };
  const t = (key: MessageKey) => format(lang, key, values);
  return layout(
    lang,
    t('invitation.subject'),
    [t('common.greeting'), t('invitation.body'), `${t('invitation.link')} ${params.url}`],
    t('invitation.footer'),
  );
}
