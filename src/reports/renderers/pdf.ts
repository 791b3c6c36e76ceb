import PDFDocument from 'pdfkit';
import type { ReportTexts } from '../report-texts.js';
import { type Align, PdfText, type TextStyle } from './pdf-text.js';
import { PHASE_ORDER, type ReportSnapshot } from './snapshot.js';

const MARGIN = 50;
const CELL: TextStyle = { size: 8 };
const HEADER_CELL: TextStyle = { size: 8, bold: true };
const HEADING: TextStyle = { size: 14, bold: true };
const ROW_HEIGHT = 12;

/**
 * Lays the report out top to bottom, page after page, in the report's language: right to left
 * in Arabic (headings and cells right-aligned, the first column of a table on the right).
 */
class Layout {
  readonly text: PdfText;
  y = MARGIN;

  constructor(
    readonly doc: PDFKit.PDFDocument,
    texts: ReportTexts,
  ) {
    this.text = new PdfText(doc, texts.locale);
  }

  get left(): number {
    return MARGIN;
  }

  get width(): number {
    return this.doc.page.width - 2 * MARGIN;
  }

  /** Starts a new page when fewer than `height` points are left on this one. */
  room(height: number): void {
    if (this.y + height > this.doc.page.height - MARGIN) this.newPage();
  }

  newPage(): void {
    this.doc.addPage();
    this.y = MARGIN;
  }

  paragraph(text: string, style: TextStyle, align: Align = 'start'): void {
    this.room(this.text.lineHeight(style));
    this.y += this.text.paragraph(text, this.left, this.y, this.width, style, align);
  }

  heading(text: string): void {
    this.room(this.text.lineHeight(HEADING) + 2 * ROW_HEIGHT);
    this.paragraph(text, HEADING);
    this.y += 4;
  }

  /** A cell's box, from the table's start side. */
  cell(offset: number, width: number): { x: number; width: number } {
    const x = this.text.rightToLeft ? this.left + this.width - offset - width : this.left + offset;
    // A gap on the side the next column starts.
    return { x: this.text.rightToLeft ? x + 4 : x, width: width - 4 };
  }

  /** A table: its header row (wrapped to its columns, repeated on each page) and its rows. */
  table(headers: string[], widths: number[], rows: (string | number | null)[][]): void {
    const headerLines = headers.map((header, i) =>
      this.text.wrap(header, widths[i] - 4, HEADER_CELL),
    );
    const headerHeight = Math.max(...headerLines.map((lines) => lines.length)) * 10 + 2;
    const header = () => {
      let offset = 0;
      headerLines.forEach((lines, i) => {
        const box = this.cell(offset, widths[i]);
        lines.forEach((line, n) =>
          this.text.line(line, box.x, this.y + n * 10, box.width, HEADER_CELL, 'start', true),
        );
        offset += widths[i];
      });
      this.y += headerHeight;
    };
    this.room(headerHeight + ROW_HEIGHT);
    header();
    for (const row of rows) {
      if (this.y + ROW_HEIGHT > this.doc.page.height - MARGIN) {
        this.newPage();
        header();
      }
      let offset = 0;
      row.forEach((value, i) => {
        const box = this.cell(offset, widths[i]);
        const text = value === null ? '-' : String(value);
        this.text.line(text, box.x, this.y, box.width, CELL, 'start', true);
        offset += widths[i];
      });
      this.y += ROW_HEIGHT;
    }
    this.y += ROW_HEIGHT;
  }
}

/**
 * The report for reading, in the report's language: a title page with the scope and as-of
 * time, the regional summary, a bar chart of programmes per phase, the country table, the
 * weakest indicators, page numbers. Fonts are embedded (pdf-fonts.ts), dates and numbers go
 * through Intl, and names of phases, regions, health and bands are the pages' own.
 */
export function renderPdf(snapshot: ReportSnapshot, texts: ReportTexts): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    bufferPages: true,
    lang: texts.locale,
    info: { Title: texts.t('title') },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve) =>
    doc.on('end', () => resolve(Buffer.concat(chunks))),
  );
  const layout = new Layout(doc, texts);
  const t: ReportTexts['t'] = (key, values) => texts.t(key, values);
  const number = (value: number | null | undefined) => texts.number(value);
  const overall = snapshot.overall;

  layout.paragraph(t('title'), { size: 22, bold: true }, 'center');
  layout.y += 14;
  const lead: TextStyle = { size: 12 };
  layout.paragraph(t('pdf.scope', { scope: texts.scope(snapshot.scope) }), lead, 'center');
  layout.paragraph(t('pdf.asOf', { asOf: texts.instant(snapshot.asOf) }), lead, 'center');
  layout.paragraph(
    t('pdf.programmes', {
      programmes: overall?.programmes ?? 0,
      countries: overall?.countries ?? 0,
    }),
    lead,
    'center',
  );
  layout.paragraph(
    `${t('pdf.meanReadiness', { value: number(overall?.meanReadiness) })}   ${t(
      'pdf.overdueMilestones',
      { count: overall?.overdueMilestones ?? 0 },
    )}`,
    lead,
    'center',
  );

  layout.newPage();
  layout.heading(t('pdf.regions'));
  layout.table(
    [
      t('label.region'),
      t('label.programmes'),
      t('label.countries'),
      t('label.meanReadiness'),
      t('label.atRisk'),
      t('label.offTrack'),
      t('label.overdue'),
      t('label.medianDays'),
    ],
    [75, 60, 55, 70, 50, 55, 55, 75],
    [
      ...snapshot.regions.map((region) => ({ ...region, name: texts.region(region.regionCode) })),
      ...(overall ? [{ ...overall, name: t('label.total') }] : []),
    ].map((r) => [
      r.name,
      number(r.programmes),
      number(r.countries),
      number(r.meanReadiness),
      number(r.atRisk),
      number(r.offTrack),
      number(r.overdueMilestones),
      number(r.medianDaysInPhase),
    ]),
  );

  layout.heading(t('pdf.programmesPerPhase'));
  const counts = PHASE_ORDER.map((phase) => overall?.perPhase[phase] ?? 0);
  const most = Math.max(1, ...counts);
  layout.room(PHASE_ORDER.length * 22);
  const rtl = layout.text.rightToLeft;
  const right = layout.left + layout.width;
  PHASE_ORDER.forEach((phase, i) => {
    const y = layout.y + i * 22;
    const bar = (counts[i] / most) * 300;
    const style: TextStyle = { size: 9 };
    layout.text.line(texts.phase(phase), rtl ? right - 120 : layout.left, y + 2, 120, style);
    if (bar > 0) doc.rect(rtl ? right - 125 - bar : layout.left + 125, y, bar, 16).fill('#2b6cb0');
    doc.fillColor('black');
    const label = rtl ? right - 130 - bar - 60 : layout.left + 130 + bar;
    layout.text.line(number(counts[i]), label, y + 2, 60, style, 'start');
  });
  layout.y += PHASE_ORDER.length * 22 + 10;

  layout.newPage();
  layout.heading(t('pdf.countries'));
  layout.table(
    [
      t('label.country'),
      t('label.phase'),
      t('label.days'),
      t('label.health'),
      t('label.readiness'),
      t('label.band'),
      t('label.doneOfAll'),
      t('label.overdue'),
    ],
    [95, 95, 30, 60, 60, 60, 50, 45],
    snapshot.programmes.map((p) => [
      texts.country(p.countryCode, p.countryName),
      texts.phase(p.phase),
      number(p.daysInPhase),
      texts.health(p.health),
      number(p.readinessScore),
      texts.band(p.readinessBand),
      `${number(p.milestonesDone)}/${number(p.milestonesTotal)}`,
      number(p.overdueMilestones),
    ]),
  );

  layout.heading(t('pdf.weakestIndicators'));
  if (snapshot.indicatorDetailWithheld) {
    layout.paragraph(texts.withheldNote(), { size: 10 });
  } else {
    layout.table(
      [t('label.indicator'), t('label.meanLevel'), t('label.assessments')],
      [80, 80, 80],
      snapshot.weakestIndicators.map((w) => [
        w.indicatorKey,
        number(w.meanLevel),
        number(w.assessments),
      ]),
    );
  }

  const pages = doc.bufferedPageRange();
  for (let page = pages.start; page < pages.start + pages.count; page += 1) {
    doc.switchToPage(page);
    // Below the bottom margin pdfkit would start a new page for the footer.
    doc.page.margins.bottom = 0;
    doc.fillColor('gray');
    layout.text.line(
      t('pdf.page', { page: page + 1, pages: pages.count }),
      layout.left,
      doc.page.height - MARGIN + 10,
      layout.width,
      { size: 8 },
      'center',
    );
  }
  doc.end();
  return done;
}
