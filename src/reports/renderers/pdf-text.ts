import { createRequire } from 'node:module';
import { type Locale, textDirection } from '../../messages/locales.js';
import { type FaceName, type Weight, faceOrder, loadFace } from './pdf-fonts.js';

// bidi-js is a CommonJS module whose types describe an ES default export: require it as it is.
const bidiFactory = createRequire(import.meta.url)(
  'bidi-js',
) as (typeof import('bidi-js'))['default'];
const bidi = bidiFactory();

export type Direction = 'ltr' | 'rtl';

/** A piece of a line as it is drawn, left to right: its text as handed to pdfkit, its face. */
export interface VisualRun {
  text: string;
  face: FaceName;
}

/** Scripts that fontkit lays out right to left, reversing the glyphs of the whole string. */
const RTL_SCRIPT =
  /[\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}]/u;
const SCRIPT_NEUTRAL = /[\p{Script=Common}\p{Script=Inherited}\p{Script=Unknown}]/u;
const RTL_CHARACTER = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]|\ud802[\udc00-\udfff]|\ud83a/;

/**
 * Whether fontkit draws this string right to left: it takes the script of the first character
 * that has one, and reverses the glyphs of the string for Arabic and its kin (after shaping,
 * which needs the logical order).
 */
function fontkitReverses(text: string): boolean {
  for (const char of text) if (!SCRIPT_NEUTRAL.test(char)) return RTL_SCRIPT.test(char);
  return false;
}

const reversed = (text: string) => Array.from(text).reverse().join('');

/**
 * The narrow and thin spaces that Intl writes (French groups digits with U+202F), as the
 * no-break space the fonts have.
 */
export function withFontSpaces(text: string): string {
  return text.replace(/[\u2007-\u200a\u202f]/g, '\u00a0');
}

/**
 * A line of text as runs to draw from left to right. The Unicode bidirectional algorithm
 * (bidi-js) orders the line visually in the paragraph's direction, so that numbers and Latin
 * words read left to right inside Arabic; each run keeps one level and one face. fontkit shapes
 * each run (Arabic joining needs the logical order) and reverses the glyphs of Arabic itself,
 * so a run goes to it in logical order when fontkit will reverse it and the run is right to
 * left, and reversed when exactly one of the two holds. Characters that mirror ("(", "«") stand
 * alone, mirrored where they are right to left.
 */
export function visualRuns(
  text: string,
  direction: Direction,
  faceOf: (codePoint: number, previous: FaceName | undefined) => FaceName,
): VisualRun[] {
  // Each code point: where it starts, its length in UTF-16 units, its face.
  const points: { start: number; length: number; face: FaceName }[] = [];
  const pointAt = new Map<number, number>();
  let previous: FaceName | undefined;
  for (let i = 0; i < text.length;) {
    const codePoint = text.codePointAt(i)!;
    const length = codePoint > 0xffff ? 2 : 1;
    previous = faceOf(codePoint, previous);
    pointAt.set(i, points.length);
    points.push({ start: i, length, face: previous });
    i += length;
  }
  if (direction === 'ltr' && !RTL_CHARACTER.test(text)) {
    return mergeRuns(
      points.map((point) => ({ ...point, level: 0 })),
      text,
    );
  }
  const levels = bidi.getEmbeddingLevels(text, direction);
  const order = Array.from({ length: text.length }, (_, i) => i);
  for (const [start, end] of bidi.getReorderSegments(text, levels)) {
    order.splice(start, end - start + 1, ...order.slice(start, end + 1).reverse());
  }
  const visual = order
    .filter((index) => pointAt.has(index))
    .map((index) => ({ ...points[pointAt.get(index)!], level: levels.levels[index] }));
  return mergeRuns(visual, text);
}

function mergeRuns(
  visual: { start: number; length: number; face: FaceName; level: number }[],
  text: string,
): VisualRun[] {
  const runs: { start: number; end: number; face: FaceName; level: number; alone: boolean }[] = [];
  for (const point of visual) {
    const end = point.start + point.length;
    const alone = bidi.getMirroredCharacter(text.slice(point.start, end)) !== null;
    const last = runs.at(-1);
    const follows =
      last !== undefined &&
      !alone &&
      !last.alone &&
      last.face === point.face &&
      last.level === point.level &&
      (point.level % 2 === 0 ? last.end === point.start : end === last.start);
    if (follows) {
      last.start = Math.min(last.start, point.start);
      last.end = Math.max(last.end, end);
    } else {
      runs.push({ start: point.start, end, face: point.face, level: point.level, alone });
    }
  }
  return runs.map((run) => {
    const rightToLeft = run.level % 2 === 1;
    let logical = text.slice(run.start, run.end);
    if (run.alone && rightToLeft) logical = bidi.getMirroredCharacter(logical) ?? logical;
    return {
      text: fontkitReverses(logical) === rightToLeft ? logical : reversed(logical),
      face: run.face,
    };
  });
}

export interface TextStyle {
  size: number;
  bold?: boolean;
}

/** Where a line sits in its box: `start` is the left in a left-to-right document, else the right. */
export type Align = 'start' | 'end' | 'center';

const ELLIPSIS = '…';

/** A line breaks after spaces and slashes, and between any two ideographs or full-width forms. */
const WORD =
  /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]\s*|[^\s/\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]*\/?\s*/gu;

/**
 * Text on a pdfkit document in one language: every character in an embedded face that has it,
 * lines laid out in the language's direction (right-aligned and ordered right to left in Arabic).
 * Positions are the top of the line; each run sits on the same baseline whatever its face.
 */
export class PdfText {
  readonly direction: Direction;
  private readonly order: FaceName[];
  private readonly registered = new Set<string>();
  /** Widths measured, by style and text: a table measures the same words again and again. */
  private readonly widths = new Map<string, number>();

  constructor(
    private readonly doc: PDFKit.PDFDocument,
    locale: Locale,
  ) {
    this.direction = textDirection(locale);
    this.order = faceOrder(locale);
  }

  get rightToLeft(): boolean {
    return this.direction === 'rtl';
  }

  /** Line height for a size. */
  lineHeight(style: TextStyle): number {
    return style.size * 1.45;
  }

  width(text: string, style: TextStyle): number {
    const key = `${style.size}:${style.bold ? 'bold' : 'regular'}:${text}`;
    let width = this.widths.get(key);
    if (width === undefined) {
      width = this.runs(text, style).reduce((sum, run) => sum + this.measure(run, style), 0);
      this.widths.set(key, width);
    }
    return width;
  }

  /** One line in a box `width` wide; cut with an ellipsis if `ellipsis` and it does not fit. */
  line(
    text: string,
    x: number,
    y: number,
    width: number,
    style: TextStyle,
    align: Align = 'start',
    ellipsis = false,
  ): void {
    let runs = this.runs(text, style);
    let widths = runs.map((run) => this.measure(run, style));
    if (ellipsis && widths.reduce((sum, value) => sum + value, 0) > width) {
      runs = this.runs(this.fit(text, width, style), style);
      widths = runs.map((run) => this.measure(run, style));
    }
    const total = widths.reduce((sum, value) => sum + value, 0);
    const toRight = align === 'end' ? !this.rightToLeft : align === 'start' && this.rightToLeft;
    let left = align === 'center' ? x + (width - total) / 2 : toRight ? x + width - total : x;
    runs.forEach((run, i) => {
      this.use(run.face, style);
      this.doc.text(run.text, left, y + style.size, {
        lineBreak: false,
        baseline: 'alphabetic',
      });
      left += widths[i];
    });
  }

  /** The lines of a text wrapped to `width`, breaking between words (or ideographs). */
  wrap(text: string, width: number, style: TextStyle): string[] {
    const lines: string[] = [];
    let current = '';
    for (const word of text.match(WORD) ?? []) {
      const candidate = current + word;
      if (current.trim() !== '' && this.width(candidate.trimEnd(), style) > width) {
        lines.push(current.trimEnd());
        current = word.trimStart();
      } else {
        current = candidate;
      }
    }
    if (current.trim() !== '' || lines.length === 0) lines.push(current.trimEnd());
    return lines;
  }

  /** The widest word of a text: the narrowest box that holds it without cutting a word. */
  widestWord(text: string, style: TextStyle): number {
    const words = text.match(WORD) ?? [];
    return Math.max(0, ...words.map((word) => this.width(word.trim(), style)));
  }

  /**
   * A text wrapped to `width` in at most `maxLines` lines. What still does not fit, a word wider
   * than the box or the text past the last line, is cut with an ellipsis.
   */
  wrapWithin(text: string, width: number, style: TextStyle, maxLines: number): string[] {
    const lines = this.wrap(text, width, style);
    const kept =
      lines.length > maxLines
        ? [...lines.slice(0, maxLines - 1), lines.slice(maxLines - 1).join(' ')]
        : lines;
    return kept.map((line) =>
      this.width(line, style) > width ? this.fit(line, width, style) : line,
    );
  }

  /** A wrapped text; answers the height it took. */
  paragraph(
    text: string,
    x: number,
    y: number,
    width: number,
    style: TextStyle,
    align: Align = 'start',
  ): number {
    const lines = this.wrap(text, width, style);
    lines.forEach((line, i) =>
      this.line(line, x, y + i * this.lineHeight(style), width, style, align),
    );
    return lines.length * this.lineHeight(style);
  }

  private fit(text: string, width: number, style: TextStyle): string {
    const chars = Array.from(text);
    while (chars.length > 0) {
      chars.pop();
      const cut = `${chars.join('').trimEnd()}${ELLIPSIS}`;
      if (this.width(cut, style) <= width) return cut;
    }
    return ELLIPSIS;
  }

  /**
   * The runs of a line, each Arabic run cut into its words in visual order: pdfkit lays a text
   * out word by word (caching each word) and sets the words side by side left to right, which
   * would reverse the words of a right-to-left run handed to it whole.
   */
  private runs(text: string, style: TextStyle): VisualRun[] {
    const weight: Weight = style.bold ? 'bold' : 'regular';
    const runs = visualRuns(withFontSpaces(text), this.direction, (codePoint, previous) => {
      // Spaces, digits and punctuation stay in the face of what they follow, when it has them.
      if (previous && SCRIPT_NEUTRAL.test(String.fromCodePoint(codePoint))) {
        if (loadFace(previous, weight).codePoints.has(codePoint)) return previous;
      }
      return (
        this.order.find((face) => loadFace(face, weight).codePoints.has(codePoint)) ?? this.order[0]
      );
    });
    return runs.flatMap((run) =>
      /\s/.test(run.text) && fontkitReverses(run.text)
        ? run.text
            .split(/(\s+)/)
            .filter(Boolean)
            .reverse()
            .map((word) => ({ text: word, face: run.face }))
        : [run],
    );
  }

  private measure(run: VisualRun, style: TextStyle): number {
    this.use(run.face, style);
    return this.doc.widthOfString(run.text);
  }

  private use(face: FaceName, style: TextStyle): void {
    const weight: Weight = style.bold ? 'bold' : 'regular';
    const name = `${face}-${weight}`;
    if (!this.registered.has(name)) {
      this.doc.registerFont(name, loadFace(face, weight).sfnt);
      this.registered.add(name);
    }
    this.doc.font(name).fontSize(style.size);
  }
}
