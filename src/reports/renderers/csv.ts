import { csvCell } from '../../common/csv.js';
import type { ProgrammeRow, ReportDocument } from '../report-data.query.js';
import { kpiFigures } from '../report-kpis.js';
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
 * but in the observers' copy, SHA-256), separated by `; `. After the programmes, an empty row
 * and the lifecycle KPIs: a header row (Lifecycle KPIs, Region, Value, Counted) and one row per
 * figure, named in the report's language, its region a code or Total for the whole scope, the
 * on-time rate a share from 0 to 1. The file holds no indicator levels; where the other formats
 * leave them out, a last row says so. Every row is as wide as the header, so that strict readers
 * still take it.
 */
export function renderCsv(snapshot: ReportSnapshot, texts: ReportTexts): Buffer {
  const header = [
    ...COLUMNS.map((column) => texts.t(`column.${column}`)),
    texts.t('column.deliverables'),
  ];
  /** A row of these cells, as wide as the header. */
  const padded = (cells: unknown[]) =>
    [...cells, ...header.slice(cells.length).map(() => '')].map(csvCell).join(',');
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
  lines.push(
    padded([]),
    padded([
      texts.t('sheet.kpis'),
      texts.t('label.region'),
      texts.t('label.value'),
      texts.t('label.counted'),
    ]),
    ...kpiFigures(snapshot.kpis).map((figure) =>
      padded([
        texts.kpi(figure.kpi, figure.key),
        figure.regionCode ?? texts.t('label.total'),
        figure.value,
        figure.counted,
      ]),
    ),
  );
  if (snapshot.indicatorDetailWithheld) lines.push(padded([texts.withheldNote()]));
  return Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8');
}
