import { formatCalendarDate } from '../messages/calendar-date.js';
import type { Locale } from '../messages/locales.js';
import type { Translate } from './i18n.js';
import type { DecisionRow, ProgrammeChangeRow } from './programme-history-page.query.js';

/** One thing that changed, said in the page's language; `value` is what a person wrote (a title). */
export interface ChangeText {
  text: string;
  value?: string;
}

export type HistoryEntry =
  | ({ kind: 'decision'; at: Date } & DecisionRow)
  | { kind: 'change'; at: Date; actorName: string | null; changes: ChangeText[] };

type Fields = Record<string, unknown>;

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/** What a programme's audit event changed, in words: its start, a hold, a new title or date. */
export function changeTexts(row: ProgrammeChangeRow, t: Translate, lang: Locale): ChangeText[] {
  const after: Fields = row.after ?? {};
  if (row.action === 'programme.created') {
    return [
      {
        text: t('history.programmeStarted', { cirtType: t(`cirtType.${String(after.cirtType)}`) }),
        value: text(after.title) ?? undefined,
      },
    ];
  }
  const before: Fields = row.before ?? {};
  const changes: ChangeText[] = [];
  const reason = () => t(`holdReason.${String(after.holdReason)}`);
  if (after.status !== before.status) {
    if (after.status === 'on_hold')
      changes.push({ text: t('history.putOnHold', { reason: reason() }) });
    else if (after.status === 'cancelled') changes.push({ text: t('history.cancelled') });
    else changes.push({ text: t('history.resumed') });
  } else if (after.status === 'on_hold' && after.holdReason !== before.holdReason) {
    changes.push({ text: t('history.holdReasonChanged', { reason: reason() }) });
  }
  if (after.title !== before.title && text(after.title)) {
    changes.push({ text: t('history.titleChanged'), value: text(after.title)! });
  }
  for (const [field, set, removed] of [
    ['startDate', 'history.startDateSet', 'history.startDateRemoved'],
    ['targetDate', 'history.targetDateSet', 'history.targetDateRemoved'],
  ] as const) {
    if (after[field] === before[field]) continue;
    const date = text(after[field]);
    changes.push({ text: date ? t(set, { date: formatCalendarDate(lang, date) }) : t(removed) });
  }
  return changes.length > 0 ? changes : [{ text: t('action.programme.updated') }];
}

/**
 * A programme's history, newest first: each phase change with who asked and who decided (all of
 * them, none cut), and, for those who may read the audit trail, each change of the programme.
 */
export function historyEntries(
  decisions: DecisionRow[],
  changes: ProgrammeChangeRow[] | null,
  t: Translate,
  lang: Locale,
): HistoryEntry[] {
  const entries: HistoryEntry[] = [
    ...decisions.map((row) => ({ kind: 'decision' as const, at: row.requestedAt, ...row })),
    ...(changes ?? []).map((row) => ({
      kind: 'change' as const,
      at: row.occurredAt,
      actorName: row.actorName,
      changes: changeTexts(row, t, lang),
    })),
  ];
  return entries.sort((a, b) => new Date(b.at).getTime() - new Date(a.at).getTime());
}
