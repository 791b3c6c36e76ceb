import { escapeHtml } from '../messages/escape-html.js';
import { type Locale, type Text, textDirection } from '../messages/locales.js';

export interface Bar {
  /** What the bar counts: a page text, or a content text with its language (see PageContext.text). */
  label: string | Text;
  value: number;
  /** A class that colours the bar, such as `phase-planning`; the accent colour without one. */
  colour?: string;
}

export interface BarChart {
  /** What the chart counts, said in full ("Countries per phase"): the table's caption. */
  title: string;
  /** Makes the title a heading too, of this level and id, for the section the chart names. */
  heading?: { level: 2 | 3 | 4; id: string };
  bars: Bar[];
  /** The page's language: numbers are written in it, and bars grow from its start side. */
  locale: Locale;
  /** The value of a full bar, such as 100 for scores; the largest value when left out. */
  max?: number;
}

/** Width of the drawing of a bar, in its own units; the style sheet gives it its size on the page. */
const BAR_WIDTH = 100;

function labelHtml(label: string | Text, locale: Locale): string {
  if (typeof label === 'string') return escapeHtml(label);
  if (label.lang === null) return `<bdi>${escapeHtml(label.text)}</bdi>`;
  if (label.lang === locale) return escapeHtml(label.text);
  return `<span lang="${label.lang}" dir="${textDirection(label.lang)}">${escapeHtml(label.text)}</span>`;
}

/**
 * A horizontal bar chart drawn on the server: a table of labels and numbers, which is what
 * assistive technology reads, with each number's bar drawn beside it in SVG for the eye. No
 * script and no chart library; on a right-to-left page the bars grow from the right.
 */
export function renderBarChart(chart: BarChart): string {
  const numbers = new Intl.NumberFormat(chart.locale);
  const rtl = textDirection(chart.locale) === 'rtl';
  const max = chart.max ?? Math.max(0, ...chart.bars.map((bar) => bar.value));
  const title = escapeHtml(chart.title);
  const caption = chart.heading
    ? `<h${chart.heading.level} id="${escapeHtml(chart.heading.id)}">${title}</h${chart.heading.level}>`
    : title;
  const rows = chart.bars.map((bar) => {
    const length = max > 0 ? Math.min(bar.value / max, 1) * BAR_WIDTH : 0;
    const x = rtl ? BAR_WIDTH - length : 0;
    const colour = escapeHtml(bar.colour ?? 'bar');
    return (
      `<tr><th scope="row">${labelHtml(bar.label, chart.locale)}</th>` +
      `<td><span class="bar-line"><svg viewBox="0 0 ${BAR_WIDTH} 10" preserveAspectRatio="none" aria-hidden="true" focusable="false">` +
      `<rect x="${round(x)}" width="${round(length)}" height="10" class="${colour}"/></svg>` +
      `<span class="value">${numbers.format(bar.value)}</span></span></td></tr>`
    );
  });
  return `<table class="bar-chart"><caption>${caption}</caption><tbody>${rows.join('')}</tbody></table>`;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
