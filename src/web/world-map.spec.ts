import { brotliCompressSync } from 'node:zlib';
import { referenceCountries } from '../countries/reference-data.js';
import { PHASES } from '../programmes/programme.constants.js';
import {
  WORLD_MAP_FILES,
  mappableCountryCodes,
  renderWorldMap,
  type MapCountry,
} from './world-map.js';

const ASSETS = '/assets/0123456789ab/';
const KENYA: MapCountry = {
  code: 'KE',
  phase: 'planning',
  href: '/countries/KE',
  label: 'Kenya · Planning',
};

const AFRICA = ['KE', 'NG', 'ZA', 'SN', 'ET', 'CD', 'AO', 'MG', 'CV', 'MU', 'SC'];

function listed(codes: string[]): MapCountry[] {
  return codes.map((code, index) => ({
    code,
    phase: PHASES[index % PHASES.length],
    href: `/countries/${code}`,
    label: `${code} · ${PHASES[index % PHASES.length]}`,
  }));
}

function map(countries: MapCountry[], region: string | null = null): string {
  return renderWorldMap(countries, { region, assetsPrefix: ASSETS });
}

/** The outline file a map draws from, read from its background's <use>. */
function fileOf(svg: string): string {
  const name = new RegExp(`<use href="${ASSETS}([\\w-]+\\.svg)#land" class="land"/>`).exec(
    svg,
  )?.[1];
  if (!name || !WORLD_MAP_FILES.has(name))
    throw new Error(`No outline file in ${svg.slice(0, 300)}`);
  return WORLD_MAP_FILES.get(name)!;
}

/** The `d` of a country's outline in an outline file. */
function outlineOf(file: string, code: string): string {
  const match = new RegExp(`<path id="${code}" d="([^"]+)"/>`).exec(file);
  if (!match) throw new Error(`No outline for ${code}`);
  return match[1];
}

/** Width of an outline written as `M x y l dx dy ... z`, in view units. */
function widthOf(path: string): number {
  const xs: number[] = [];
  for (const [, start, steps] of path.matchAll(/M([-\d ]+)l([-\d ]+)z/g)) {
    const [x0] = numbers(start);
    let x = x0;
    xs.push(x);
    numbers(steps).forEach((step, index) => {
      if (index % 2 === 0) xs.push((x += step));
    });
  }
  return Math.max(...xs) - Math.min(...xs);
}

const numbers = (text: string) => (text.match(/-?\d+/g) ?? []).map(Number);
const viewWidth = (svg: string) => Number(/viewBox="[-\d]+ [-\d]+ (\d+) \d+"/.exec(svg)![1]);
const count = (text: string, part: string) => text.split(part).length - 1;
/** The codes of the states a map draws, as outlines or as markers. */
const drawnCodes = (svg: string) =>
  new Set([...svg.matchAll(/(?:\.svg#|data-marker=")(\w\w)"/g)].map(([, code]) => code));

describe(renderWorldMap.name, () => {
  it('should link a listed country to its outline in the map file, coloured by its phase and named on hover', () => {
    const svg = map([KENYA]);
    expect(svg).toContain(
      `<a href="/countries/KE" tabindex="-1"><use href="${ASSETS}world.svg#KE" class="phase-planning"><title>Kenya · Planning</title></use></a>`,
    );
    expect(count(svg, '<a ')).toBe(1);
    expect(fileOf(svg)).toContain(`<path id="KE" d="M`);
  });

  it('should draw the countries not listed as one background of plain land, under the listed ones', () => {
    const svg = map([KENYA]);
    expect(svg).toMatch(
      new RegExp(
        `aria-hidden="true" focusable="false"><use href="${ASSETS}world.svg#land" class="land"/><a `,
      ),
    );
    expect(count(svg, '<use ')).toBe(2);
    expect(svg).not.toContain('#FR"');
    const file = fileOf(svg);
    expect(file).toMatch(
      /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" viewBox="[^"]+"><g id="land">/,
    );
    expect(outlineOf(file, 'FR')).toMatch(/^M/);
  });

  it('should class a listed country as phase-none when it has no phase', () => {
    const svg = map([{ ...KENYA, phase: null }]);
    expect(svg).toContain('#KE" class="phase-none"');
  });

  it('should be a picture for the eye only, its links out of the keyboard’s way', () => {
    const svg = map(listed([...mappableCountryCodes()]));
    expect(svg).toMatch(/^<svg [^>]*class="world-map" aria-hidden="true" focusable="false">/);
    expect(svg).not.toContain('role=');
    expect(count(svg, '<a ')).toBe(count(svg, 'tabindex="-1"'));
  });

  it('should leave the colours to the style sheet, in the page and in the map files', () => {
    const svg = map(listed([...mappableCountryCodes()]));
    for (const text of [svg, ...WORLD_MAP_FILES.values()]) {
      expect(text).not.toMatch(/fill=|stroke=|style=|<style|#[0-9a-f]{6}/i);
    }
  });

  it('should draw every ITU member state, and Palestine and Palau', () => {
    const codes = referenceCountries().map((country) => country.code);
    expect(codes.filter((code) => !mappableCountryCodes().has(code))).toEqual([]);
    const svg = map(listed(codes));
    const drawn = drawnCodes(svg);
    expect(codes.filter((code) => !drawn.has(code))).toEqual([]);
    // Each outline it draws is in the file.
    const file = fileOf(svg);
    for (const [, code] of svg.matchAll(/\.svg#(\w\w)"/g)) expect(file).toContain(`id="${code}"`);
  });

  it('should mark the states the atlas leaves out at their capital, linked when listed', () => {
    const svg = map(listed(['SG', 'TV']));
    expect(svg).toMatch(
      /<a href="\/countries\/SG" tabindex="-1"><line x1="(\d+)" y1="(\d+)" x2="\1" y2="\2" class="marker phase-readiness_assessment" data-marker="SG"><title>SG · readiness_assessment<\/title><\/line><line [^>]+ class="target"\/><\/a>/,
    );
    expect(svg).not.toContain('#SG"');
    // Not listed: a grey marker, without a link.
    expect(svg).toMatch(/<line [^>]+ class="marker land" data-marker="MT"><\/line>(?!<\/a>)/);
  });

  it('should add a marker to a listed state too small to see, in the same link as its outline', () => {
    const svg = map(listed(['LU', 'KE']));
    expect(svg).toMatch(
      /<a href="\/countries\/LU" tabindex="-1"><use href="[^"]+#LU" class="[^"]+"><title>[^<]+<\/title><\/use><line [^>]+ data-marker="LU"><\/line><line [^>]+ class="target"\/><\/a>/,
    );
    expect(svg).not.toContain('data-marker="KE"');
    // Not listed, it keeps its small outline only, as the atlas's territories do.
    expect(map([])).not.toContain('data-marker="LU"');
    expect(map([])).not.toContain('data-marker="FK"');
  });

  it('should link each listed country once, and draw its marker on top of the land', () => {
    const codes = referenceCountries().map((country) => country.code);
    const svg = map(listed(codes));
    const hrefs = [...svg.matchAll(/<a href="([^"]+)"/g)].map(([, href]) => href);
    expect(hrefs).toHaveLength(codes.length);
    expect(new Set(hrefs).size).toBe(codes.length);
    expect(svg.lastIndexOf('<use ')).toBeLessThan(svg.lastIndexOf('class="marker'));
    expect(svg.indexOf('class="marker')).toBeGreaterThan(svg.indexOf('#RU"'));
  });

  it('should leave out Antarctica, which is no state', () => {
    const svg = map([]);
    expect(svg).toMatch(/viewBox="0 -?\d+ 960 4\d\d"/);
    expect(fileOf(svg)).not.toContain('id="AQ"');
  });

  it("should draw a region's part of the world from the region's own file", () => {
    const countries = listed(AFRICA);
    const world = map(countries);
    const africa = map(countries, 'AFR');
    expect(africa).toContain(`${ASSETS}world-AFR.svg#KE"`);
    const share = (svg: string) => widthOf(outlineOf(fileOf(svg), 'KE')) / viewWidth(svg);
    expect(share(africa)).toBeGreaterThan(2.5 * share(world));
    // Land far from the region is not in its file at all.
    expect(count(fileOf(africa), '<path ')).toBeLessThan(count(fileOf(world), '<path ') / 2);
    expect(fileOf(africa)).not.toContain('id="BR"');
    const drawn = drawnCodes(africa);
    expect(AFRICA.filter((code) => !drawn.has(code))).toEqual([]);
    // The same view whichever of the region's countries are listed: the file is the region's.
    expect(/viewBox="[^"]+"/.exec(map(listed(['KE']), 'AFR'))![0]).toBe(
      /viewBox="[^"]+"/.exec(africa)![0],
    );
  });

  it('should draw the whole world for no region, or one that leaves out a listed country', () => {
    expect(map([], 'AFR')).not.toBe(map([]));
    expect(map(listed(['KE', 'JP']), 'AFR')).toBe(map(listed(['KE', 'JP'])));
    expect(map([], 'XYZ')).toBe(map([]));
  });

  it('should escape labels and links when they hold markup', () => {
    const svg = map([
      { ...KENYA, label: `<script>alert("x")</script> & 'co'`, href: '/c?a=1&b="2"' },
    ]);
    expect(svg).not.toContain('<script>');
    expect(svg).toContain(
      '<title>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;co&#39;</title>',
    );
    expect(svg).toContain('href="/c?a=1&amp;b=&quot;2&quot;"');
  });

  it('should weigh under 4 KB compressed in the page with every country listed, its outlines under 12 KB a file', () => {
    const codes = [...mappableCountryCodes()];
    const svg = map(
      codes.map((code) => ({
        code,
        phase: 'planning',
        href: `/app/countries/${code}`,
        label: `Country of ${code} · Planning`,
      })),
    );
    expect(count(svg, '<a ')).toBe(codes.length);
    expect(brotliCompressSync(svg).length).toBeLessThan(4 * 1024);
    for (const [name, file] of WORLD_MAP_FILES) {
      expect({ name, small: brotliCompressSync(file).length < 12 * 1024 }).toEqual({
        name,
        small: true,
      });
    }
  });
});

describe(mappableCountryCodes.name, () => {
  it('should hold Kenya, France, Brazil and the states the atlas leaves out', () => {
    const codes = mappableCountryCodes();
    expect(['KE', 'FR', 'BR', 'SG', 'TV', 'VA'].filter((code) => !codes.has(code))).toEqual([]);
  });
});
