import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { geoEqualEarth, geoPath } from 'd3-geo';
import isoCountries from 'i18n-iso-countries';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import { escapeHtml } from '../messages/escape-html.js';
import type { Phase } from '../programmes/programme.constants.js';

export interface MapCountry {
  /** ISO 3166-1 alpha-2, upper case. */
  code: string;
  phase: Phase | null;
  href: string;
  label: string;
}

interface CountryShape {
  /** Null for the atlas's territories without an ISO code (Kosovo, N. Cyprus, Somaliland). */
  code: string | null;
  path: string;
}

const VIEW_WIDTH = 960;
const VIEW_HEIGHT = 500;
const TITLE_ID = 'world-map-title';

function projectWorld(): CountryShape[] {
  const atlasFile = createRequire(import.meta.url).resolve('world-atlas/countries-110m.json');
  const topology = JSON.parse(readFileSync(atlasFile, 'utf8')) as Topology<{
    countries: GeometryCollection;
  }>;
  const world = feature(topology, topology.objects.countries);
  const projection = geoEqualEarth().fitSize([VIEW_WIDTH, VIEW_HEIGHT], world);
  const toPath = geoPath(projection).digits(1);
  return world.features.map((country) => ({
    code: country.id === undefined ? null : (isoCountries.numericToAlpha2(country.id) ?? null),
    path: toPath(country) ?? '',
  }));
}

// Projecting the atlas is the costly part and never changes: a page view only changes classes.
const WORLD = projectWorld();
const MAPPABLE_CODES = new Set(WORLD.flatMap((shape) => (shape.code ? [shape.code] : [])));

function countryLink(shape: CountryShape, country: MapCountry): string {
  const label = escapeHtml(country.label);
  const phaseClass = `phase-${escapeHtml(country.phase ?? 'none')}`;
  return (
    `<a href="${escapeHtml(country.href)}" aria-label="${label}">` +
    `<path d="${shape.path}" class="${phaseClass}" data-code="${shape.code}"><title>${label}</title></path>` +
    `</a>`
  );
}

/** SVG markup of the world; countries in `countries` are links coloured by phase, others are grey. */
export function renderWorldMap(countries: MapCountry[], title: string): string {
  const listed = new Map(countries.map((country) => [country.code, country]));
  const shapes = WORLD.map((shape) => {
    const country = shape.code ? listed.get(shape.code) : undefined;
    return country ? countryLink(shape, country) : `<path d="${shape.path}" class="land"/>`;
  });
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${VIEW_WIDTH} ${VIEW_HEIGHT}" ` +
    `width="100%" style="max-width:100%;height:auto" role="img" aria-labelledby="${TITLE_ID}">` +
    `<title id="${TITLE_ID}">${escapeHtml(title)}</title>` +
    shapes.join('') +
    `</svg>`
  );
}

/** Alpha-2 codes the map can draw (for callers that list the others beside the map). */
export function mappableCountryCodes(): Set<string> {
  return new Set(MAPPABLE_CODES);
}
