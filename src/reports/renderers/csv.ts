import type { ProgrammeRow } from '../report-data.query.js';
import { INDICATOR_DETAIL_WITHHELD_NOTE, type ReportSnapshot } from './snapshot.js';

const COLUMNS: (keyof ProgrammeRow)[] = [
  'countryCode',
  'countryName',
  'regionCode',
  'programmeId',
  'title',
  'cirtType',
  'sector',
  'phase',
  'status',
  'daysInPhase',
  'health',
  'readinessScore',
  'readinessBand',
  'maturityScore',
  'milestonesDone',
  'milestonesTotal',
  'overdueMilestones',
  'nextDueMilestone',
  'nextDueDate',
  'pendingTransition',
];

function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  // Quote what CSV readers would split, and defuse cells a spreadsheet would run as formulas.
  const safe = /^[=+\-@\t\r]/.test(text) && typeof value === 'string' ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/**
 * One row per programme, UTF-8 with a header row (RFC 4180). The file holds no indicator levels;
 * where the other formats leave them out, a last row says so, as wide as the others so that
 * strict readers still take it.
 */
export function renderCsv(snapshot: ReportSnapshot): Buffer {
  const lines = [
    COLUMNS.join(','),
    ...snapshot.programmes.map((row) => COLUMNS.map((column) => cell(row[column])).join(',')),
  ];
  if (snapshot.indicatorDetailWithheld) {
    lines.push([cell(INDICATOR_DETAIL_WITHHELD_NOTE), ...COLUMNS.slice(1).map(() => '')].join(','));
  }
  return Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8');
}
