import type { ProgrammeRow } from '../report-data.query.js';
import type { ReportTexts } from '../report-texts.js';
import type { ReportSnapshot } from './snapshot.js';

const COLUMNS = [
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
] as const satisfies readonly (keyof ProgrammeRow)[];

function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  // Quote what CSV readers would split, and defuse cells a spreadsheet would run as formulas.
  const safe = /^[=+\-@\t\r]/.test(text) && typeof value === 'string' ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/**
 * One row per programme, UTF-8 with a header row (RFC 4180) in the report's language. Values
 * stay as the snapshot has them (codes, plain numbers) for spreadsheets and scripts, but the
 * country's name, in that language. The file holds no indicator levels; where the other formats
 * leave them out, a last row says so, as wide as the others so that strict readers still take it.
 */
export function renderCsv(snapshot: ReportSnapshot, texts: ReportTexts): Buffer {
  const lines = [
    COLUMNS.map((column) => cell(texts.t(`column.${column}`))).join(','),
    ...snapshot.programmes.map((row) =>
      COLUMNS.map((column) =>
        cell(
          column === 'countryName' ? texts.country(row.countryCode, row.countryName) : row[column],
        ),
      ).join(','),
    ),
  ];
  if (snapshot.indicatorDetailWithheld) {
    lines.push([cell(texts.withheldNote()), ...COLUMNS.slice(1).map(() => '')].join(','));
  }
  return Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8');
}
