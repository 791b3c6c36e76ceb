import { csvCell } from '../../common/csv.js';
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

/**
 * One row per programme, UTF-8 with a header row (RFC 4180) in the report's language. Values
 * stay as the snapshot has them (codes, plain numbers) for spreadsheets and scripts, but the
 * country's name, in that language. The file holds no indicator levels; where the other formats
 * leave them out, a last row says so, as wide as the others so that strict readers still take it.
 */
export function renderCsv(snapshot: ReportSnapshot, texts: ReportTexts): Buffer {
  const lines = [
    COLUMNS.map((column) => csvCell(texts.t(`column.${column}`))).join(','),
    ...snapshot.programmes.map((row) =>
      COLUMNS.map((column) =>
        csvCell(
          column === 'countryName' ? texts.country(row.countryCode, row.countryName) : row[column],
        ),
      ).join(','),
    ),
  ];
  if (snapshot.indicatorDetailWithheld) {
    lines.push([csvCell(texts.withheldNote()), ...COLUMNS.slice(1).map(() => '')].join(','));
  }
  return Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8');
}
