import type { ProgrammeRow } from '../report-data.query.js';

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

/** One row per programme, UTF-8 with a header row (RFC 4180). */
export function renderCsv(rows: ProgrammeRow[]): Buffer {
  const lines = [
    COLUMNS.join(','),
    ...rows.map((row) => COLUMNS.map((column) => cell(row[column])).join(',')),
  ];
  return Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8');
}
