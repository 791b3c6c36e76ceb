import PDFDocument from 'pdfkit';
import {
  INDICATOR_DETAIL_WITHHELD_NOTE,
  type ReportSnapshot,
  PHASE_ORDER,
  scopeLabel,
} from './snapshot.js';

const MARGIN = 50;

function table(
  doc: PDFKit.PDFDocument,
  headers: string[],
  widths: number[],
  rows: (string | number | null)[][],
): void {
  const line = (cells: (string | number | null)[], bold: boolean) => {
    if (doc.y > doc.page.height - MARGIN - 20) doc.addPage();
    const y = doc.y;
    let x = MARGIN;
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(8);
    cells.forEach((value, i) => {
      doc.text(value === null ? '-' : String(value), x, y, {
        width: widths[i] - 4,
        lineBreak: false,
        ellipsis: true,
      });
      x += widths[i];
    });
    doc.x = MARGIN;
    doc.y = y + 12;
  };
  line(headers, true);
  for (const row of rows) line(row, false);
  doc.moveDown();
}

/**
 * The report for reading: a title page with the scope and as-of time, the regional summary,
 * a bar chart of programmes per phase, the country table, the weakest indicators, page numbers.
 */
export function renderPdf(snapshot: ReportSnapshot): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    bufferPages: true,
    info: { Title: 'CIRT readiness report' },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve) =>
    doc.on('end', () => resolve(Buffer.concat(chunks))),
  );

  const overall = snapshot.overall;
  doc
    .font('Helvetica-Bold')
    .fontSize(22)
    .text('National CIRT readiness report', { align: 'center' })
    .moveDown();
  doc.font('Helvetica').fontSize(12);
  doc.text(`Scope: ${scopeLabel(snapshot.scope)}`, { align: 'center' });
  doc.text(`As of: ${snapshot.asOf}`, { align: 'center' });
  doc.text(`Programmes: ${overall?.programmes ?? 0} in ${overall?.countries ?? 0} countries`, {
    align: 'center',
  });
  doc.text(
    `Mean readiness: ${overall?.meanReadiness ?? '-'}   Overdue milestones: ${overall?.overdueMilestones ?? 0}`,
    { align: 'center' },
  );

  doc.addPage().font('Helvetica-Bold').fontSize(14).text('Regions').moveDown(0.5);
  table(
    doc,
    [
      'Region',
      'Programmes',
      'Countries',
      'Mean readiness',
      'At risk',
      'Off track',
      'Overdue',
      'Median days',
    ],
    [60, 65, 60, 75, 50, 55, 55, 70],
    [...snapshot.regions, ...(overall ? [{ ...overall, regionCode: 'Total' }] : [])].map((r) => [
      r.regionCode,
      r.programmes,
      r.countries,
      r.meanReadiness,
      r.atRisk,
      r.offTrack,
      r.overdueMilestones,
      r.medianDaysInPhase,
    ]),
  );

  doc.font('Helvetica-Bold').fontSize(14).text('Programmes per phase', MARGIN).moveDown(0.5);
  const counts = PHASE_ORDER.map((phase) => overall?.perPhase[phase] ?? 0);
  const most = Math.max(1, ...counts);
  const chartTop = doc.y;
  PHASE_ORDER.forEach((phase, i) => {
    const y = chartTop + i * 22;
    doc
      .font('Helvetica')
      .fontSize(9)
      .text(phase, MARGIN, y + 4, { width: 120 });
    doc.rect(MARGIN + 125, y, (counts[i] / most) * 300, 16).fill('#2b6cb0');
    doc.fillColor('black').text(String(counts[i]), MARGIN + 130 + (counts[i] / most) * 300, y + 4);
  });
  doc.x = MARGIN;
  doc.y = chartTop + PHASE_ORDER.length * 22 + 10;

  doc.addPage().font('Helvetica-Bold').fontSize(14).text('Countries').moveDown(0.5);
  table(
    doc,
    ['Country', 'Phase', 'Days', 'Health', 'Readiness', 'Band', 'Done/All', 'Overdue'],
    [110, 85, 35, 55, 55, 80, 45, 45],
    snapshot.programmes.map((p) => [
      p.countryName,
      p.phase,
      p.daysInPhase,
      p.health,
      p.readinessScore,
      p.readinessBand,
      `${p.milestonesDone}/${p.milestonesTotal}`,
      p.overdueMilestones,
    ]),
  );

  doc.font('Helvetica-Bold').fontSize(14).text('Weakest indicators', MARGIN).moveDown(0.5);
  if (snapshot.indicatorDetailWithheld) {
    doc.font('Helvetica').fontSize(10).text(INDICATOR_DETAIL_WITHHELD_NOTE, MARGIN);
  } else {
    table(
      doc,
      ['Indicator', 'Mean level', 'Assessments'],
      [80, 80, 80],
      snapshot.weakestIndicators.map((w) => [w.indicatorKey, w.meanLevel, w.assessments]),
    );
  }

  const pages = doc.bufferedPageRange();
  for (let page = pages.start; page < pages.start + pages.count; page += 1) {
    doc.switchToPage(page);
    // Below the bottom margin pdfkit would start a new page for the footer.
    doc.page.margins.bottom = 0;
    doc
      .font('Helvetica')
      .fontSize(8)
      .fillColor('gray')
      .text(`Page ${page + 1} of ${pages.count}`, MARGIN, doc.page.height - MARGIN + 10, {
        width: doc.page.width - 2 * MARGIN,
        align: 'center',
        lineBreak: false,
      });
  }
  doc.end();
  return done;
}
