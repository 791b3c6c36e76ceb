import PDFDocument from 'pdfkit';
import { OVERDUE_AGES } from '../../portfolio/dto/portfolio-kpis.dto.js';
import { PHASES_BEFORE_OPERATION } from '../../programmes/programme.constants.js';
import type { ReportTexts } from '../report-texts.js';
import { type Align, PdfText, type TextStyle } from './pdf-text.js';
import { PHASE_ORDER, type ReportSnapshot } from './snapshot.js';

const MARGIN = 50;
const CELL: TextStyle = { size: 8 };
const HEADER_CELL: TextStyle = { size: 8, bold: true };
const HEADING: TextStyle = { size: 14, bold: true };
const ROW_HEIGHT = 12;
/** The step from one line of a cell to the next. */
const CELL_LINE = 10;
/** Above and below the lines of a row. */
const CELL_PADDING = 2;
/** Between a cell's text and the next column's. */
const CELL_GAP = 8;
/**
 * A cell wraps to this many lines at most (each of its own lines, where it has several); the
 * rest is cut with an ellipsis.
 */
const CELL_LINES = 3;
const RULE_COLOUR = '#c8ced6';

/** A column of a table: its header, and whether it holds figures (set to the end of the cell). */
interface Column {
  header: string;
  figures?: boolean;
}

/**
 * A SHA-256 in two halves, one above the other: the whole hash in a column of half its width,
 * each half one word (no space between groups, which the bidirectional algorithm could reorder
 * in Arabic).
 */
const hashInHalves = (hash: string) => `${hash.slice(0, 32)}\n${hash.slice(32)}`;

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);

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

  get bottom(): number {
    return this.doc.page.height - MARGIN;
  }

  /** Starts a new page when fewer than `height` points are left on this one. */
  room(height: number): void {
    if (this.y + height > this.bottom) this.newPage();
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
    // The gap on the side the next column starts.
    return { x: this.text.rightToLeft ? x + CELL_GAP : x, width: width - CELL_GAP };
  }

  /**
   * A table: its header row (repeated on each page) and its rows, each cell wrapped to its
   * column's measured width, so that no text runs into the next column's. A cell's own line
   * breaks (`\n`) are kept.
   */
  table(columns: Column[], rows: string[][]): void {
    const widths = this.columnWidths(columns, rows);
    const lines = (cells: string[], style: TextStyle) =>
      cells.map((cell, i) =>
        cell
          .split('\n')
          .flatMap((line) => this.text.wrapWithin(line, widths[i] - CELL_GAP, style, CELL_LINES)),
      );
    const height = (cells: string[][]) =>
      Math.max(...cells.map((cell) => cell.length)) * CELL_LINE + 2 * CELL_PADDING;
    const headerLines = lines(
      columns.map((column) => column.header),
      HEADER_CELL,
    );
    const header = () => {
      this.row(headerLines, widths, columns, HEADER_CELL);
      this.y += height(headerLines);
      this.rule(sum(widths), 'black');
    };
    this.room(height(headerLines) + ROW_HEIGHT);
    header();
    for (const row of rows) {
      const cells = lines(row, CELL);
      if (this.y + height(cells) > this.bottom) {
        this.newPage();
        header();
      }
      this.row(cells, widths, columns, CELL);
      this.y += height(cells);
      this.rule(sum(widths), RULE_COLOUR);
    }
    this.y += ROW_HEIGHT;
  }

  /**
   * Column widths measured on their texts: each column as wide as its longest text up to a
   * limit common to all, the highest limit the page holds, and never narrower than its widest
   * word (up to a quarter of the line). Short columns (figures, a status) stay on one line; the
   * long ones (names, titles) share what is left and wrap. Where even the widest words do not
   * fit, every column shrinks alike and the words are cut.
   */
  private columnWidths(columns: Column[], rows: string[][]): number[] {
    // Whole points, so that a text measured again against its column's width still fits.
    const longest = columns.map(
      (column, i) =>
        Math.ceil(
          Math.max(
            this.text.width(column.header, HEADER_CELL),
            ...rows.flatMap((row) => row[i].split('\n').map((line) => this.text.width(line, CELL))),
          ),
        ) + CELL_GAP,
    );
    // A word longer than a quarter of the line is cut rather than given its own width.
    const longestWord = this.width / 4;
    const narrowest = columns.map((column, i) =>
      Math.min(
        longest[i],
        Math.min(
          longestWord,
          Math.max(
            this.text.widestWord(column.header, HEADER_CELL),
            ...rows.map((row) => this.text.widestWord(row[i], CELL)),
          ),
        ) + CELL_GAP,
      ),
    );
    if (sum(longest) <= this.width) return longest;
    if (sum(narrowest) >= this.width) {
      return narrowest.map((width) => (width * this.width) / sum(narrowest));
    }
    const upTo = (limit: number) =>
      longest.map((width, i) => Math.max(narrowest[i], Math.min(width, limit)));
    let [low, high] = [0, Math.max(...longest)];
    for (let step = 0; step < 30; step += 1) {
      const limit = (low + high) / 2;
      if (sum(upTo(limit)) > this.width) high = limit;
      else low = limit;
    }
    return upTo(low);
  }

  private row(cells: string[][], widths: number[], columns: Column[], style: TextStyle): void {
    let offset = 0;
    cells.forEach((lines, i) => {
      const box = this.cell(offset, widths[i]);
      const align: Align = columns[i].figures ? 'end' : 'start';
      lines.forEach((line, n) =>
        this.text.line(line, box.x, this.y + CELL_PADDING + n * CELL_LINE, box.width, style, align),
      );
      offset += widths[i];
    });
  }

  /** A rule under a row, as wide as the table, from the table's start side. */
  private rule(width: number, colour: string): void {
    const start = this.text.rightToLeft ? this.left + this.width - width : this.left;
    this.doc
      .moveTo(start, this.y)
      .lineTo(start + width, this.y)
      .lineWidth(0.5)
      .strokeColor(colour)
      .stroke();
  }
}

/**
 * The report for reading, in the report's language: a title page with the scope and as-of
 * time, the regional summary, a bar chart of programmes per phase, the lifecycle KPIs (the
 * scope's figures, per phase, per region with how many each median counts, and phase changes
 * per quarter), the country table, the
 * deliverables (the latest version of each programme's documents: version, upload day and,
 * but in the observers' copy, SHA-256), the weakest indicators, page numbers; landscape, for
 * the eleven columns of the country table. Fonts are embedded (pdf-fonts.ts), dates and numbers go through Intl, and every code (phase,
 * region, health, band, CIRT type, status) is written as its name in the report's language.
 */
export function renderPdf(snapshot: ReportSnapshot, texts: ReportTexts): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    layout: 'landscape',
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
  const figure = (header: string): Column => ({ header, figures: true });
  layout.table(
    [
      { header: t('label.region') },
      figure(t('label.programmes')),
      figure(t('label.countries')),
      figure(t('label.meanReadiness')),
      figure(t('label.atRisk')),
      figure(t('label.offTrack')),
      figure(t('label.overdue')),
      figure(t('label.medianDays')),
    ],
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
  const chart: TextStyle = { size: 9 };
  // The names of the phases as wide as the longest, up to a third of the page; the bars after.
  const labelWidth = Math.min(
    layout.width / 3,
    Math.max(...PHASE_ORDER.map((phase) => layout.text.width(texts.phase(phase), chart))),
  );
  const countWidth = 40;
  const longestBar = Math.min(400, layout.width - labelWidth - countWidth - 10);
  PHASE_ORDER.forEach((phase, i) => {
    const y = layout.y + i * 22;
    const bar = (counts[i] / most) * longestBar;
    const label = texts.phase(phase);
    layout.text.line(
      label,
      rtl ? right - labelWidth : layout.left,
      y + 2,
      labelWidth,
      chart,
      'start',
      true,
    );
    const barStart = labelWidth + 5;
    if (bar > 0) {
      doc.rect(rtl ? right - barStart - bar : layout.left + barStart, y, bar, 16).fill('#2b6cb0');
    }
    doc.fillColor('black');
    const countStart = barStart + bar + 5;
    const countX = rtl ? right - countStart - countWidth : layout.left + countStart;
    layout.text.line(number(counts[i]), countX, y + 2, countWidth, chart, 'start');
  });
  layout.y += PHASE_ORDER.length * 22 + 10;

  layout.newPage();
  layout.heading(t('pdf.kpis'));
  const kpis = snapshot.kpis;
  const subheading = (text: string) => {
    // Kept with the first rows of its table.
    layout.room(4 * ROW_HEIGHT);
    layout.paragraph(text, { size: 10, bold: true });
  };
  const medianOf = (median: number | null, counted: number) =>
    median === null ? '-' : t('pdf.medianCounted', { median: number(median), counted });
  layout.paragraph(t('pdf.kpisNote'), { size: 9 });
  layout.y += 6;
  layout.table(
    [{ header: t('label.item') }, figure(t('label.value')), figure(t('label.counted'))],
    [
      [texts.kpi('programmes', null), number(kpis.programmes), ''],
      [texts.kpi('established', null), number(kpis.established), ''],
      [
        texts.kpi('medianDaysToOperation', null),
        number(kpis.medianDaysToOperation),
        number(kpis.counted.daysToOperation),
      ],
      [
        texts.kpi('milestoneOnTimeRate', null),
        texts.percent(kpis.milestoneOnTimeRate),
        number(kpis.milestonesDone),
      ],
      [texts.kpi('staleUpdates', null), number(kpis.staleUpdates), ''],
      ...OVERDUE_AGES.map((age) => [
        texts.kpi('overdueMilestones', age),
        number(kpis.overdueMilestonesByAge[age]),
        '',
      ]),
    ],
  );
  subheading(t('pdf.kpisPerPhase'));
  layout.table(
    [
      { header: t('label.phase') },
      figure(t('label.programmes')),
      figure(t('label.medianDays')),
      figure(t('label.counted')),
    ],
    PHASE_ORDER.map((phase) => {
      const measured = (PHASES_BEFORE_OPERATION as readonly string[]).includes(phase);
      return [
        texts.phase(phase),
        number(kpis.byPhase[phase] ?? 0),
        measured ? number(kpis.phaseMedianDays[phase]) : '',
        measured ? number(kpis.counted.phases[phase] ?? 0) : '',
      ];
    }),
  );
  subheading(t('pdf.kpisPerRegion'));
  layout.table(
    [
      { header: t('label.region') },
      figure(t('label.programmes')),
      figure(texts.kpi('established', null)),
      figure(texts.kpi('medianDaysToOperation', null)),
      ...PHASES_BEFORE_OPERATION.map((phase) => figure(texts.kpi('medianDaysInPhase', phase))),
    ],
    [
      ...kpis.byRegion.map((region) => ({ ...region, name: texts.region(region.regionCode) })),
      { ...kpis, name: t('label.total') },
    ].map((r) => [
      r.name,
      number(r.programmes),
      number(r.established),
      medianOf(r.medianDaysToOperation, r.counted.daysToOperation),
      ...PHASES_BEFORE_OPERATION.map((phase) =>
        medianOf(r.phaseMedianDays[phase] ?? null, r.counted.phases[phase] ?? 0),
      ),
    ]),
  );
  subheading(t('pdf.kpisPerQuarter'));
  if (kpis.transitionsByQuarter.length === 0) {
    layout.paragraph(t('pdf.noPhaseChanges'), { size: 10 });
    layout.y += ROW_HEIGHT;
  } else {
    layout.table(
      [{ header: t('label.quarter') }, figure(t('label.forward')), figure(t('label.backward'))],
      kpis.transitionsByQuarter.map((row) => [
        texts.quarter(row.quarter),
        number(row.forward),
        number(row.backward),
      ]),
    );
  }

  layout.newPage();
  layout.heading(t('pdf.countries'));
  layout.table(
    [
      { header: t('label.country') },
      { header: t('label.programme') },
      { header: t('label.cirtType') },
      { header: t('label.phase') },
      { header: t('label.status') },
      figure(t('label.days')),
      { header: t('label.health') },
      figure(t('label.readiness')),
      { header: t('label.band') },
      figure(t('label.doneOfAll')),
      figure(t('label.overdue')),
    ],
    snapshot.programmes.map((p) => [
      texts.country(p.countryCode, p.countryName),
      p.title,
      texts.cirtType(p.cirtType),
      texts.phase(p.phase),
      texts.programmeStatus(p.status),
      number(p.daysInPhase),
      texts.health(p.health),
      number(p.readinessScore),
      texts.band(p.readinessBand),
      `${number(p.milestonesDone)}/${number(p.milestonesTotal)}`,
      number(p.overdueMilestones),
    ]),
  );

  layout.heading(t('pdf.deliverables'));
  const documents = snapshot.programmes.flatMap((p) =>
    p.documents.map((document) => ({ programme: p, document })),
  );
  if (documents.length === 0) {
    layout.paragraph(t('pdf.noDeliverables'), { size: 10 });
    layout.y += ROW_HEIGHT;
  } else {
    const hashes = !snapshot.documentHashesWithheld;
    layout.table(
      [
        { header: t('label.country') },
        { header: t('label.programme') },
        { header: t('label.document') },
        figure(t('label.version')),
        { header: t('label.uploaded') },
        ...(hashes ? [{ header: t('label.sha256') }] : []),
      ],
      documents.map(({ programme, document }) => [
        texts.country(programme.countryCode, programme.countryName),
        programme.title,
        document.title === null
          ? texts.documentKind(document.kind)
          : t('deliverable.titled', {
              title: document.title,
              kind: texts.documentKind(document.kind),
            }),
        number(document.version),
        texts.date(document.uploadedAt),
        ...(hashes ? [hashInHalves(document.sha256 ?? '')] : []),
      ]),
    );
  }

  layout.heading(t('pdf.weakestIndicators'));
  if (snapshot.indicatorDetailWithheld) {
    layout.paragraph(texts.withheldNote(), { size: 10 });
  } else {
    layout.table(
      [
        { header: t('label.indicator') },
        figure(t('label.meanLevel')),
        figure(t('label.assessments')),
      ],
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
