import { renderBarChart } from './bar-chart.js';

const PHASES = [
  { label: 'Readiness assessment', value: 12, colour: 'phase-readiness_assessment' },
  { label: 'Planning', value: 3, colour: 'phase-planning' },
  { label: 'Implementation', value: 0, colour: 'phase-implementation' },
];

/** Each row's label, bar (x and width, out of 100) and number, as the markup gives them. */
function rows(html: string) {
  return [
    ...html.matchAll(
      /<tr><th scope="row">(.*?)<\/th><td>.*?<rect x="([\d.]+)" width="([\d.]+)"[^>]*\/>.*?<span class="value">(.*?)<\/span>/g,
    ),
  ].map(([, label, x, width, value]) => ({ label, x: Number(x), width: Number(width), value }));
}

describe(renderBarChart.name, () => {
  it('should be a table captioned with what it counts, a row per bar with its label and number', () => {
    const html = renderBarChart({ title: 'Countries per phase', bars: PHASES, locale: 'en' });
    expect(html).toMatch(/^<table class="bar-chart"><caption>Countries per phase<\/caption>/);
    expect(rows(html)).toEqual([
      { label: 'Readiness assessment', x: 0, width: 100, value: '12' },
      { label: 'Planning', x: 0, width: 25, value: '3' },
      { label: 'Implementation', x: 0, width: 0, value: '0' },
    ]);
  });

  it('should draw the bars for the eye only, coloured by the class given', () => {
    const html = renderBarChart({ title: 'Countries per phase', bars: PHASES, locale: 'en' });
    expect(html.match(/<svg [^>]*aria-hidden="true" focusable="false"/g)).toHaveLength(3);
    expect(html).toContain('class="phase-planning"');
    expect(
      renderBarChart({ title: 'T', bars: [{ label: 'A', value: 1 }], locale: 'en' }),
    ).toContain('class="bar"');
    expect(html).not.toMatch(/<canvas|<script|fill=|#[0-9a-f]{6}/i);
  });

  it('should grow the bars from the right on a right-to-left page', () => {
    const html = renderBarChart({ title: 'البلدان حسب المرحلة', bars: PHASES, locale: 'ar' });
    expect(rows(html).map(({ x, width }) => ({ x, width }))).toEqual([
      { x: 0, width: 100 },
      { x: 75, width: 25 },
      { x: 100, width: 0 },
    ]);
  });

  it("should write the numbers as the page's language does", () => {
    const bars = [{ label: 'A', value: 1234 }];
    expect(rows(renderBarChart({ title: 'T', bars, locale: 'fr' }))[0].value).toBe('1\u202f234');
    expect(rows(renderBarChart({ title: 'T', bars, locale: 'en' }))[0].value).toBe('1,234');
  });

  it('should measure the bars against the full value given, and never past it', () => {
    const html = renderBarChart({
      title: 'Scores per area',
      bars: [
        { label: 'Governance', value: 40 },
        { label: 'Legal', value: 120 },
      ],
      locale: 'en',
      max: 100,
    });
    expect(rows(html).map(({ width }) => width)).toEqual([40, 100]);
  });

  it('should draw empty bars, not broken ones, when every value is zero', () => {
    const html = renderBarChart({ title: 'T', bars: [{ label: 'A', value: 0 }], locale: 'en' });
    expect(rows(html)).toEqual([{ label: 'A', x: 0, width: 0, value: '0' }]);
    expect(html).not.toContain('NaN');
  });

  it('should make its title the heading of a section when asked', () => {
    const html = renderBarChart({
      title: 'Countries per phase',
      heading: { level: 2, id: 'phase-chart-title' },
      bars: PHASES,
      locale: 'en',
    });
    expect(html).toContain(
      '<caption><h2 id="phase-chart-title">Countries per phase</h2></caption>',
    );
  });

  it("should mark a label's language when it is not the page's, and escape every text", () => {
    const html = renderBarChart({
      title: '<b>T</b>',
      bars: [
        { label: { text: 'Gouvernance', lang: 'fr' }, value: 1 },
        { label: { text: 'حوكمة', lang: 'ar' }, value: 1 },
        { label: { text: 'Governance', lang: 'en' }, value: 1 },
        { label: { text: '<i>written</i>', lang: null }, value: 1 },
        { label: '<script>', value: 1, colour: '"x' },
      ],
      locale: 'en',
    });
    expect(rows(html).map(({ label }) => label)).toEqual([
      '<span lang="fr" dir="ltr">Gouvernance</span>',
      '<span lang="ar" dir="rtl">حوكمة</span>',
      'Governance',
      '<bdi>&lt;i&gt;written&lt;/i&gt;</bdi>',
      '&lt;script&gt;',
    ]);
    expect(html).toContain('<caption>&lt;b&gt;T&lt;/b&gt;</caption>');
    expect(html).toContain('class="&quot;x"');
  });
});
