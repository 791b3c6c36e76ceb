import { PassThrough } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import ExcelJS from 'exceljs';
import { kpiFigures } from '../report-kpis.js';
import type { ReportTexts } from '../report-texts.js';
import { type ReportSnapshot, PHASE_ORDER } from './snapshot.js';

type Column = { header: string; key: string; width: number; numFmt?: string };

function sheet(
  workbook: ExcelJS.stream.xlsx.WorkbookWriter,
  name: string,
  columns: Column[],
  rows: object[],
  rightToLeft: boolean,
): void {
  const worksheet = workbook.addWorksheet(name, {
    views: [{ state: 'frozen', ySplit: 1, rightToLeft }],
  });
  worksheet.columns = columns.map(({ header, key, width, numFmt }) => ({
    header,
    key,
    width,
    style: numFmt ? { numFmt } : {},
  }));
  worksheet.getRow(1).font = { bold: true };
  for (const row of rows) worksheet.addRow(row).commit();
  worksheet.commit();
}

/**
 * Summary, Countries, Regions, Lifecycle KPIs (one row per figure: its name, its region's code or
 * Total, its value, the on-time rate a share from 0 to 1, and how many a median or the rate was
 * taken over), Gaps, Changes (the programmes', then the KPIs', named in words) and Deliverables
 * (one row per document of a programme: its latest version's number, upload date and, but in the
 * observers' copy, SHA-256),
 * with typed cells and a frozen header row; the sheet names, headers and labels in the report's
 * language (Arabic sheets run right to left), the values as the snapshot has them but the
 * countries' names and the document kinds'.
 * Written as a stream, row by row, so a large portfolio does not hold a cell object per value.
 */
export async function renderXlsx(snapshot: ReportSnapshot, texts: ReportTexts): Promise<Buffer> {
  const output = new PassThrough();
  const file = buffer(output);
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output, useStyles: true });
  workbook.creator = 'cirt-tracker';
  workbook.created = new Date(snapshot.asOf);
  const rtl = texts.locale === 'ar';
  const t = texts.t.bind(texts);
  const overall = snapshot.overall;
  sheet(
    workbook,
    t('sheet.summary'),
    [
      { header: t('label.item'), key: 'item', width: 34 },
      { header: t('label.value'), key: 'value', width: 40 },
    ],
    [
      { item: t('label.asOf'), value: new Date(snapshot.asOf) },
      { item: t('label.scope'), value: texts.scope(snapshot.scope) },
      { item: t('label.programmes'), value: overall?.programmes ?? 0 },
      { item: t('label.countries'), value: overall?.countries ?? 0 },
      { item: t('label.meanReadiness'), value: overall?.meanReadiness ?? null },
      { item: t('label.atRisk'), value: overall?.atRisk ?? 0 },
      { item: t('label.offTrack'), value: overall?.offTrack ?? 0 },
      { item: t('label.overdueMilestones'), value: overall?.overdueMilestones ?? 0 },
      { item: t('label.medianDaysInPhase'), value: overall?.medianDaysInPhase ?? null },
      { item: t('label.transitions90Days'), value: overall?.transitionsLast90Days ?? 0 },
      ...PHASE_ORDER.map((phase) => ({
        item: t('label.programmesInPhase', { phase: texts.phase(phase) }),
        value: overall?.perPhase[phase] ?? 0,
      })),
    ],
    rtl,
  );
  sheet(
    workbook,
    t('sheet.countries'),
    [
      { header: t('column.countryName'), key: 'countryName', width: 28 },
      { header: t('column.countryCode'), key: 'countryCode', width: 6 },
      { header: t('column.regionCode'), key: 'regionCode', width: 8 },
      { header: t('column.title'), key: 'title', width: 34 },
      { header: t('column.phase'), key: 'phase', width: 22 },
      { header: t('column.status'), key: 'status', width: 10 },
      { header: t('column.daysInPhase'), key: 'daysInPhase', width: 13, numFmt: '0' },
      { header: t('column.health'), key: 'health', width: 10 },
      { header: t('column.readinessScore'), key: 'readinessScore', width: 10, numFmt: '0.0' },
      { header: t('column.readinessBand'), key: 'readinessBand', width: 20 },
      { header: t('column.maturityScore'), key: 'maturityScore', width: 10, numFmt: '0.0' },
      { header: t('column.milestonesDone'), key: 'milestonesDone', width: 15, numFmt: '0' },
      { header: t('column.milestonesTotal'), key: 'milestonesTotal', width: 11, numFmt: '0' },
      { header: t('column.overdueMilestones'), key: 'overdueMilestones', width: 9, numFmt: '0' },
      { header: t('column.nextDueMilestone'), key: 'nextDueMilestone', width: 34 },
      { header: t('column.nextDueDate'), key: 'nextDueDate', width: 13 },
      { header: t('column.pendingTransition'), key: 'pendingTransition', width: 20 },
    ],
    snapshot.programmes.map((row) => ({
      ...row,
      countryName: texts.country(row.countryCode, row.countryName),
    })),
    rtl,
  );
  sheet(
    workbook,
    t('sheet.regions'),
    [
      { header: t('label.region'), key: 'regionCode', width: 8 },
      { header: t('label.programmes'), key: 'programmes', width: 11, numFmt: '0' },
      { header: t('label.countries'), key: 'countries', width: 10, numFmt: '0' },
      ...PHASE_ORDER.map((phase) => ({
        header: texts.phase(phase),
        key: phase,
        width: 14,
        numFmt: '0',
      })),
      { header: t('label.meanReadiness'), key: 'meanReadiness', width: 15, numFmt: '0.0' },
      { header: t('label.atRisk'), key: 'atRisk', width: 8, numFmt: '0' },
      { header: t('label.offTrack'), key: 'offTrack', width: 9, numFmt: '0' },
      { header: t('label.overdueMilestones'), key: 'overdueMilestones', width: 18, numFmt: '0' },
      {
        header: t('label.medianDaysInPhase'),
        key: 'medianDaysInPhase',
        width: 20,
        numFmt: '0.0',
      },
      {
        header: t('label.transitions90DaysShort'),
        key: 'transitionsLast90Days',
        width: 20,
        numFmt: '0',
      },
    ],
    snapshot.regions.map((region) => ({
      ...region,
      ...Object.fromEntries(PHASE_ORDER.map((phase) => [phase, region.perPhase[phase] ?? 0])),
    })),
    rtl,
  );
  sheet(
    workbook,
    t('sheet.kpis'),
    [
      { header: t('label.item'), key: 'item', width: 44 },
      { header: t('label.region'), key: 'region', width: 10 },
      { header: t('label.value'), key: 'value', width: 10 },
      { header: t('label.counted'), key: 'counted', width: 10, numFmt: '0' },
    ],
    kpiFigures(snapshot.kpis).map((figure) => ({
      item: texts.kpi(figure.kpi, figure.key),
      region: figure.regionCode ?? t('label.total'),
      value: figure.value,
      counted: figure.counted,
    })),
    rtl,
  );
  sheet(
    workbook,
    t('sheet.gaps'),
    [
      { header: t('label.indicator'), key: 'indicatorKey', width: 10 },
      { header: t('label.meanLevel'), key: 'meanLevel', width: 11, numFmt: '0.00' },
      { header: t('label.assessments'), key: 'assessments', width: 12, numFmt: '0' },
    ],
    snapshot.indicatorDetailWithheld
      ? [{ indicatorKey: texts.withheldNote() }]
      : snapshot.weakestIndicators,
    rtl,
  );
  sheet(
    workbook,
    t('sheet.changes'),
    [
      { header: t('label.country'), key: 'countryCode', width: 8 },
      { header: t('label.programme'), key: 'programmeId', width: 38 },
      { header: t('label.change'), key: 'kind', width: 36 },
      { header: t('label.from'), key: 'from', width: 22 },
      { header: t('label.to'), key: 'to', width: 22 },
    ],
    [
      ...snapshot.changes.items,
      ...snapshot.changes.kpis.map((change) => ({
        kind: texts.kpi(change.kpi, change.key),
        from: change.from,
        to: change.to,
      })),
    ],
    rtl,
  );
  sheet(
    workbook,
    t('sheet.deliverables'),
    [
      { header: t('label.country'), key: 'country', width: 28 },
      { header: t('label.programme'), key: 'programme', width: 34 },
      { header: t('label.kind'), key: 'kind', width: 30 },
      { header: t('label.title'), key: 'title', width: 34 },
      { header: t('label.version'), key: 'version', width: 9, numFmt: '0' },
      { header: t('label.uploaded'), key: 'uploadedAt', width: 12, numFmt: 'yyyy-mm-dd' },
      // The observers' copy has no SHA-256 to show: its column is left out.
      ...(snapshot.documentHashesWithheld
        ? []
        : [{ header: t('label.sha256'), key: 'sha256', width: 66 }]),
    ],
    snapshot.programmes.flatMap((programme) =>
      programme.documents.map((document) => ({
        country: texts.country(programme.countryCode, programme.countryName),
        programme: programme.title,
        kind: texts.documentKind(document.kind),
        title: texts.documentName(document),
        version: document.version,
        uploadedAt: new Date(document.uploadedAt),
        sha256: document.sha256,
      })),
    ),
    rtl,
  );
  await workbook.commit();
  return file;
}
