import { PassThrough } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import ExcelJS from 'exceljs';
import {
  INDICATOR_DETAIL_WITHHELD_NOTE,
  type ReportSnapshot,
  PHASE_ORDER,
  scopeLabel,
} from './snapshot.js';

type Column = { header: string; key: string; width: number; numFmt?: string };

function sheet(
  workbook: ExcelJS.stream.xlsx.WorkbookWriter,
  name: string,
  columns: Column[],
  rows: object[],
): void {
  const worksheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
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
 * Summary, Countries, Regions, Gaps and Changes, with typed cells and a frozen header row.
 * Written as a stream, row by row, so a large portfolio does not hold a cell object per value.
 */
export async function renderXlsx(snapshot: ReportSnapshot): Promise<Buffer> {
  const output = new PassThrough();
  const file = buffer(output);
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output, useStyles: true });
  workbook.creator = 'cirt-tracker';
  workbook.created = new Date(snapshot.asOf);
  const overall = snapshot.overall;
  sheet(
    workbook,
    'Summary',
    [
      { header: 'Item', key: 'item', width: 34 },
      { header: 'Value', key: 'value', width: 40 },
    ],
    [
      { item: 'As of', value: new Date(snapshot.asOf) },
      { item: 'Scope', value: scopeLabel(snapshot.scope) },
      { item: 'Programmes', value: overall?.programmes ?? 0 },
      { item: 'Countries', value: overall?.countries ?? 0 },
      { item: 'Mean readiness', value: overall?.meanReadiness ?? null },
      { item: 'At risk', value: overall?.atRisk ?? 0 },
      { item: 'Off track', value: overall?.offTrack ?? 0 },
      { item: 'Overdue milestones', value: overall?.overdueMilestones ?? 0 },
      { item: 'Median days in phase', value: overall?.medianDaysInPhase ?? null },
      { item: 'Transitions in the last 90 days', value: overall?.transitionsLast90Days ?? 0 },
      ...PHASE_ORDER.map((phase) => ({
        item: `Programmes in ${phase}`,
        value: overall?.perPhase[phase] ?? 0,
      })),
    ],
  );
  sheet(
    workbook,
    'Countries',
    [
      { header: 'Country', key: 'countryName', width: 28 },
      { header: 'Code', key: 'countryCode', width: 6 },
      { header: 'Region', key: 'regionCode', width: 8 },
      { header: 'Programme', key: 'title', width: 34 },
      { header: 'Phase', key: 'phase', width: 22 },
      { header: 'Status', key: 'status', width: 10 },
      { header: 'Days in phase', key: 'daysInPhase', width: 13, numFmt: '0' },
      { header: 'Health', key: 'health', width: 10 },
      { header: 'Readiness', key: 'readinessScore', width: 10, numFmt: '0.0' },
      { header: 'Band', key: 'readinessBand', width: 20 },
      { header: 'Maturity', key: 'maturityScore', width: 10, numFmt: '0.0' },
      { header: 'Milestones done', key: 'milestonesDone', width: 15, numFmt: '0' },
      { header: 'Milestones', key: 'milestonesTotal', width: 11, numFmt: '0' },
      { header: 'Overdue', key: 'overdueMilestones', width: 9, numFmt: '0' },
      { header: 'Next due', key: 'nextDueMilestone', width: 34 },
      { header: 'Next due date', key: 'nextDueDate', width: 13 },
      { header: 'Pending transition to', key: 'pendingTransition', width: 20 },
    ],
    snapshot.programmes,
  );
  sheet(
    workbook,
    'Regions',
    [
      { header: 'Region', key: 'regionCode', width: 8 },
      { header: 'Programmes', key: 'programmes', width: 11, numFmt: '0' },
      { header: 'Countries', key: 'countries', width: 10, numFmt: '0' },
      ...PHASE_ORDER.map((phase) => ({ header: phase, key: phase, width: 14, numFmt: '0' })),
      { header: 'Mean readiness', key: 'meanReadiness', width: 15, numFmt: '0.0' },
      { header: 'At risk', key: 'atRisk', width: 8, numFmt: '0' },
      { header: 'Off track', key: 'offTrack', width: 9, numFmt: '0' },
      { header: 'Overdue milestones', key: 'overdueMilestones', width: 18, numFmt: '0' },
      { header: 'Median days in phase', key: 'medianDaysInPhase', width: 20, numFmt: '0.0' },
      { header: 'Transitions (90 days)', key: 'transitionsLast90Days', width: 20, numFmt: '0' },
    ],
    snapshot.regions.map((region) => ({
      ...region,
      ...Object.fromEntries(PHASE_ORDER.map((phase) => [phase, region.perPhase[phase] ?? 0])),
    })),
  );
  sheet(
    workbook,
    'Gaps',
    [
      { header: 'Indicator', key: 'indicatorKey', width: 10 },
      { header: 'Mean level', key: 'meanLevel', width: 11, numFmt: '0.00' },
      { header: 'Assessments', key: 'assessments', width: 12, numFmt: '0' },
    ],
    snapshot.indicatorDetailWithheld
      ? [{ indicatorKey: INDICATOR_DETAIL_WITHHELD_NOTE }]
      : snapshot.weakestIndicators,
  );
  sheet(
    workbook,
    'Changes',
    [
      { header: 'Country', key: 'countryCode', width: 8 },
      { header: 'Programme', key: 'programmeId', width: 38 },
      { header: 'Change', key: 'kind', width: 16 },
      { header: 'From', key: 'from', width: 22 },
      { header: 'To', key: 'to', width: 22 },
    ],
    snapshot.changes.items,
  );
  await workbook.commit();
  return file;
}
