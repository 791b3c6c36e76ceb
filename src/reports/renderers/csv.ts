import { csvCell } from '../../common/csv.js';
import type { ProgrammeRow, ReportDocument } from '../report-data.query.js';
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

/** Between the documents of a programme's Deliverables cell. */
const DELIVERABLES_SEPARATOR = '; ';

/** A document in a Deliverables cell: `Design Document v2 (2026-03-01, SHA-256 …)`. */
function deliverable(document: ReportDocument, texts: ReportTexts): string {
  const values = {
    title: texts.documentName(document),
    version: document.version,
    date: document.uploadedAt.slice(0, 10),
  };
  return document.sha256 === undefined
    ? texts.t('deliverable.item', values)
    : texts.t('deliverable.itemWithHash', { ...values, sha256: document.sha256 });
}

/**
 * One row per programme, UTF-8 with a header row (RFC 4180) in the report's language. Values
 * stay as the snapshot has them (codes, plain numbers) for spreadsheets and scripts, but the
 * country's name, in that language, and a last column, Deliverables: the latest version of each
 * of the programme's documents (its title or its kind's name, version, upload day in UTC and,
 * but in the observers' copy, SHA-256), separated by `; `. The file holds no indicator levels;
 * where the other formats leave them out, a last row says so, as wide as the others so that
 * strict readers still take it.
 */
export function renderCsv(snapshot: ReportSnapshot, texts: ReportTexts): Buffer {
  const header = [
    ...COLUMNS.map((column) => texts.t(`column.${column}`)),
    texts.t('column.deliverables'),
  ];
  const lines = [
    header.map(csvCell).join(','),
    ...snapshot.programmes.map((row) =>
      [
        ...COLUMNS.map((column) =>
          column === 'countryName' ? texts.country(row.countryCode, row.countryName) : row[column],
        ),
        row.documents.map((document) => deliverable(document, texts)).join(DELIVERABLES_SEPARATOR),
      ]
        .map(csvCell)
        .join(','),
    ),
  ];
  if (snapshot.indicatorDetailWithheld) {
    lines.push([csvCell(texts.withheldNote()), ...header.slice(1).map(() => '')].join(','));
  }
  return Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8');
}
