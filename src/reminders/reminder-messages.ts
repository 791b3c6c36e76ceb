import { IntlMessageFormat } from 'intl-messageformat';
import ar from './messages/ar.json' with { type: 'json' };
import en from './messages/en.json' with { type: 'json' };
import es from './messages/es.json' with { type: 'json' };
import fr from './messages/fr.json' with { type: 'json' };
import ru from './messages/ru.json' with { type: 'json' };
import zh from './messages/zh.json' with { type: 'json' };
import { escapeHtml } from '../common/escape-html.js';

export const REMINDER_KINDS = [
  'milestone_due_soon',
  'milestone_overdue',
  'transition_waiting',
  'status_update_stale',
  'assessment_draft_stale',
  'phase_aging',
  'reassessment_due',
  'test',
] as const;
export type ReminderKind = (typeof REMINDER_KINDS)[number];

export const MESSAGE_LOCALES = ['en', 'fr', 'es', 'ar', 'ru', 'zh'] as const;
type MessageLocale = (typeof MESSAGE_LOCALES)[number];

export interface ReminderMessageParams {
  recipientName: string;
  countryName: string; // already in the recipient's language
  programmeTitle: string;
  programmeUrl: string;
  milestoneTitle?: string; // milestone_due_soon, milestone_overdue
  dueDate?: string; // YYYY-MM-DD; milestone kinds, reassessment_due
  days?: number; // days left (due soon, 0 = today), days overdue, days waiting, days since last update/touch, days in phase
  phase?: string; // phase key, e.g. 'planning' (transition_waiting: the requested phase; phase_aging: current phase)
  contactName?: string;
  contactEmail?: string;
}

export interface RenderedMessage {
  subject: string;
  text: string;
  html: string;
}

type Catalog = typeof en;
type MessageKey = keyof Catalog;
type MessageValues = Record<string, string | number>;

// Typed against en.json so that a catalog missing a key fails to compile.
const CATALOGS: Record<MessageLocale, Catalog> = { en, fr, es, ar, ru, zh };

const compiled = new Map<string, IntlMessageFormat>();

function resolveLocale(locale: string): MessageLocale {
  // Regional variants ('fr-CA', 'zh_Hans') use the catalog of their base language.
  const base = locale.toLowerCase().split(/[-_]/)[0];
  return MESSAGE_LOCALES.find((supported) => supported === base) ?? 'en';
}

function format(locale: MessageLocale, key: MessageKey, values: MessageValues): string {
  const id = `${locale}:${key}`;
  let message = compiled.get(id);
  if (!message) {
    message = new IntlMessageFormat(CATALOGS[locale][key], locale);
    compiled.set(id, message);
  }
  const result = message.format<string>(values);
  return Array.isArray(result) ? result.join('') : result;
}

function phaseName(locale: MessageLocale, phase: string): string {
  const key = `phase.${phase}`;
  return key in CATALOGS[locale] ? CATALOGS[locale][key as MessageKey] : phase;
}

export function renderReminder(
  kind: ReminderKind,
  locale: string,
  params: ReminderMessageParams,
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
  const t = (key: MessageKey) => format(lang, key, values);

  const subject = t(`${kind}.subject`);
  const paragraphs = [t('common.greeting'), t(`${kind}.body`)];
  if (params.contactName) paragraphs.push(t('common.contact'));
  const linkLabel = t('common.link');
  const footer = t('common.footer');
  const url = params.programmeUrl;

  const text = [...paragraphs, `${linkLabel} ${url}`, footer].join('\n\n');
  // The whole formatted sentence is escaped, not just the arguments, so nothing a catalog
  // or a value contains (e.g. the "<e-mail>" of the contact line) can become markup.
  const html = [
    '<!DOCTYPE html>',
    `<html lang="${lang}" dir="${lang === 'ar' ? 'rtl' : 'ltr'}">`,
    `<head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>`,
    '<body>',
    ...paragraphs.map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`),
    `<p>${escapeHtml(linkLabel)} <a href="${escapeHtml(url)}">${escapeHtml(url)}</a></p>`,
    `<p><small>${escapeHtml(footer)}</small></p>`,
    '</body>',
    '</html>',
  ].join('\n');

  return { subject, text, html };
}
