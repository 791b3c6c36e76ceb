import { PHASES } from '../programmes/programme.constants.js';
import { mappableCountryCodes, renderWorldMap, type MapCountry } from './world-map.js';

const KENYA: MapCountry = {
  code: 'KE',
  phase: 'planning',
  href: '/countries/KE',
  label: 'Kenya: planning',
};

/** The `d` of a country's outline, read from a map that lists it. */
function outlineOf(code: string): string {
  const svg = renderWorldMap([{ code, phase: null, href: '#', label: code }], 'Countries by phase');
  const match = new RegExp(`<path d="([^"]+)" class="[^"]+" data-code="${code}">`).exec(svg);
  if (!match) throw new Error(`No outline for ${code}`);
  return match[1];
}

const count = (text: string, part: string) => text.split(part).length - 1;

describe(renderWorldMap.name, () => {
  it('should link a country to its page and class it by phase when it is listed', () => {
    const svg = renderWorldMap([KENYA], 'Countries by phase');
    expect(svg).toMatch(
      /<a href="\/countries\/KE" aria-label="Kenya: planning"><path d="M[^"]+" class="phase-planning" data-code="KE"><title>Kenya: planning<\/title><\/path><\/a>/,
    );
    expect(count(svg, '<a ')).toBe(1);
  });

  it('should draw a country as plain land without a link when it is not listed', () => {
    const svg = renderWorldMap([KENYA], 'Countries by phase');
    expect(svg).toContain(`<path d="${outlineOf('FR')}" class="land"/>`);
    expect(svg).not.toContain('data-code="FR"');
  });

  it('should class a listed country as phase-none when it has no phase', () => {
    const svg = renderWorldMap([{ ...KENYA, phase: null }], 'Countries by phase');
    expect(svg).toContain('class="phase-none" data-code="KE"');
  });

  it('should draw every shape as land when no country is listed', () => {
    const svg = renderWorldMap([], 'Countries by phase');
    // The mappable countries plus the shapes without an ISO code: Kosovo, N. Cyprus, Somaliland.
    expect(count(svg, 'class="land"')).toBe(mappableCountryCodes().size + 3);
    expect(svg).not.toContain('<a ');
  });

  it('should leave out a listed country when the atlas cannot draw it', () => {
    const svg = renderWorldMap(
      [{ ...KENYA, code: 'SG', href: '/countries/SG' }],
      'Countries by phase',
    );
    expect(svg).not.toContain('/countries/SG');
  });

  it('should escape labels, links and the title when they hold markup', () => {
    const svg = renderWorldMap(
      [{ ...KENYA, label: `<script>alert("x")</script> & 'co'`, href: '/c?a=1&b="2"' }],
      '<script>',
    );
    expect(svg).not.toContain('<script>');
    expect(svg).toContain(
      'aria-label="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;co&#39;"',
    );
    expect(svg).toContain('href="/c?a=1&amp;b=&quot;2&quot;"');
    expect(svg).toContain('<title id="world-map-title">&lt;script&gt;</title>');
  });

  it('should title the map and scale it to the page', () => {
    const svg = renderWorldMap([], 'Countries by phase');
    expect(svg).toMatch(
      /^<svg [^>]*viewBox="0 0 960 500" width="100%" style="[^"]*" role="img" aria-labelledby="world-map-title">/,
    );
    expect(svg).toContain('<title id="world-map-title">Countries by phase</title>');
    expect(svg).not.toMatch(/fill=|#[0-9a-f]{6}/i);
  });

  it('should stay under 200 KB when every mappable country is listed', () => {
    const countries = [...mappableCountryCodes()].map((code, index): MapCountry => ({
      code,
      phase: PHASES[index % PHASES.length],
      href: `/countries/${code}`,
      label: `${code}: ${PHASES[index % PHASES.length]}`,
    }));
    const svg = renderWorldMap(countries, 'Countries by phase');
    expect(count(svg, '<a ')).toBe(countries.length);
    expect(Buffer.byteLength(svg)).toBeLessThan(200 * 1024);
  });
});

describe(mappableCountryCodes.name, () => {
  it('should hold Kenya, France and Brazil among at least 150 codes', () => {
    const codes = mappableCountryCodes();
    expect(['KE', 'FR', 'BR'].filter((code) => !codes.has(code))).toEqual([]);
    expect(codes.size).toBeGreaterThanOrEqual(150);
  });
});
