import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import {
  type GeoContext,
  type GeoPath,
  type GeoProjection,
  geoCentroid,
  geoEqualEarth,
  geoPath,
} from 'd3-geo';
import type { Feature, FeatureCollection, Geometry, Point, Polygon } from 'geojson';
import isoCountries from 'i18n-iso-countries';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import { referenceCountries } from '../countries/reference-data.js';
import { REGION_CODES } from '../countries/regions.js';
import { escapeHtml } from '../messages/escape-html.js';
import type { Phase } from '../programmes/programme.constants.js';

export interface MapCountry {
  /** ISO 3166-1 alpha-2, upper case. */
  code: string;
  phase: Phase | null;
  href: string;
  label: string;
}

/**
 * The states that Natural Earth's 1:110m atlas leaves out, being too small for it: 28 member
 * states (island states and the European microstates) and Palau. Each is drawn as a marker at its
 * capital, [longitude, latitude].
 */
const NOT_IN_ATLAS: Record<string, [number, number]> = {
  AD: [1.52, 42.51],
  AG: [-61.85, 17.12],
  BB: [-59.62, 13.1],
  BH: [50.59, 26.23],
  CV: [-23.51, 14.93],
  DM: [-61.39, 15.3],
  FM: [158.16, 6.92],
  GD: [-61.75, 12.05],
  KI: [172.98, 1.33],
  KM: [43.26, -11.7],
  KN: [-62.72, 17.3],
  LC: [-60.99, 14.01],
  LI: [9.52, 47.14],
  MC: [7.42, 43.73],
  MH: [171.38, 7.09],
  MT: [14.51, 35.9],
  MU: [57.5, -20.16],
  MV: [73.51, 4.18],
  NR: [166.92, -0.55],
  PW: [134.62, 7.5],
  SC: [55.45, -4.62],
  SG: [103.82, 1.35],
  SM: [12.45, 43.94],
  ST: [6.73, 0.34],
  TO: [-175.2, -21.14],
  TV: [179.2, -8.52],
  VA: [12.45, 41.9],
  VC: [-61.22, 13.16],
  WS: [-171.77, -13.83],
};

const VIEW_WIDTH = 960;
/** The tallest a map of a region gets: the Americas run down a phone's screen, not off it. */
const MAX_REGION_HEIGHT = 720;
/** Room around a region's countries, in view units. */
const REGION_MARGIN = 16;
/**
 * A state whose largest land is smaller than this share of the map's width gets a marker: on a
 * map drawn 600 px wide, under 8 px.
 */
const MARKER_BELOW = 8 / 600;

interface Place {
  /** Null for the atlas's territories without an ISO code (Kosovo, N. Cyprus, Somaliland). */
  code: string | null;
  geometry: Feature<Geometry | Point>;
}

interface Shape {
  code: string | null;
  /** The outline, empty for a state the atlas leaves out. */
  path: string;
  /** Where the marker goes, for a state too small to see. */
  marker: [number, number] | null;
}

interface MapView {
  /** The name of the asset file that holds the view's outlines. */
  file: string;
  viewBox: string;
  shapes: Shape[];
}

function atlasPlaces(): Place[] {
  const atlasFile = createRequire(import.meta.url).resolve('world-atlas/countries-110m.json');
  const topology = JSON.parse(readFileSync(atlasFile, 'utf8')) as Topology<{
    countries: GeometryCollection;
  }>;
  const countries = feature(topology, topology.objects.countries).features.map(
    (country): Place => ({
      code: country.id === undefined ? null : (isoCountries.numericToAlpha2(country.id) ?? null),
      geometry: country,
    }),
  );
  const capitals = Object.entries(NOT_IN_ATLAS).map(([code, coordinates]): Place => ({
    code,
    geometry: { type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates } },
  }));
  // Antarctica is no state, and takes a fifth of the map's height.
  return [...countries.filter((place) => place.code !== 'AQ'), ...capitals];
}

const PLACES = atlasPlaces();
const MAPPABLE_CODES = new Set(PLACES.flatMap((place) => (place.code ? [place.code] : [])));

function collection(places: Place[]): FeatureCollection<Geometry | Point> {
  return { type: 'FeatureCollection', features: places.map((place) => place.geometry) };
}

/**
 * A path context for d3-geo that writes outlines at whole view units with relative moves, and
 * leaves out rings that shrink to less than a triangle: a third of the bytes of d3's own paths,
 * for no difference one can see at the map's size.
 */
class CompactPath implements GeoContext {
  private text = '';
  private ring: [number, number][] = [];

  beginPath(): void {}

  moveTo(x: number, y: number): void {
    this.endRing();
    this.ring = [[Math.round(x), Math.round(y)]];
  }

  lineTo(x: number, y: number): void {
    const point: [number, number] = [Math.round(x), Math.round(y)];
    const last = this.ring[this.ring.length - 1];
    if (point[0] !== last[0] || point[1] !== last[1]) this.ring.push(point);
  }

  closePath(): void {
    this.endRing();
  }

  arc(): void {}

  result(): string {
    this.endRing();
    return this.text;
  }

  private endRing(): void {
    const ring = this.ring;
    this.ring = [];
    if (ring.length < 3) return;
    const steps = ring
      .slice(1)
      .flatMap(([x, y], index) => [x - ring[index][0], y - ring[index][1]]);
    this.text += `M${numbers(ring[0])}l${numbers(steps)}z`;
  }
}

/** Numbers as SVG path data: a minus sign separates as well as a space does. */
function numbers(values: number[]): string {
  return values.reduce<string>(
    (text, value, index) => text + (index === 0 || value < 0 ? '' : ' ') + value,
    '',
  );
}

/** The polygon of the place's largest land: a state is as visible as that. */
function largestLand(place: Place, toPath: GeoPath): Feature<Polygon> | null {
  const geometry = place.geometry.geometry;
  const polygons =
    geometry.type === 'Polygon'
      ? [geometry.coordinates]
      : geometry.type === 'MultiPolygon'
        ? geometry.coordinates
        : [];
  const lands = polygons.map((coordinates): Feature<Polygon> => ({
    type: 'Feature',
    properties: {},
    geometry: { type: 'Polygon', coordinates },
  }));
  return lands.reduce<Feature<Polygon> | null>(
    (largest, land) => (!largest || toPath.area(land) > toPath.area(largest) ? land : largest),
    null,
  );
}

function project(places: Place[], projection: GeoProjection, width: number): Shape[] {
  const toPath = geoPath(projection);
  return places.map(({ code, geometry }) => {
    if (geometry.geometry.type === 'Point') {
      const point = projection(geometry.geometry.coordinates as [number, number]);
      return { code, path: '', marker: point ? rounded(point) : null };
    }
    const outline = new CompactPath();
    geoPath(projection, outline)(geometry);
    const path = outline.result();
    const land = largestLand({ code, geometry }, toPath);
    if (!land) return { code, path, marker: null };
    const [[x0, y0], [x1, y1]] = toPath.bounds(land);
    const small = Math.max(x1 - x0, y1 - y0) < width * MARKER_BELOW;
    return { code, path, marker: small ? rounded(toPath.centroid(land)) : null };
  });
}

function rounded([x, y]: [number, number]): [number, number] {
  return [Math.round(x), Math.round(y)];
}

/** The whole world, once: projecting it is the costly part, and a page view only changes classes. */
function worldView(): MapView {
  const projection = geoEqualEarth().fitWidth(VIEW_WIDTH, collection(PLACES));
  const [[, top], [, bottom]] = geoPath(projection).bounds(collection(PLACES));
  return {
    file: 'world.svg',
    viewBox: `0 ${Math.floor(top)} ${VIEW_WIDTH} ${Math.ceil(bottom - top)}`,
    shapes: project(PLACES, projection, VIEW_WIDTH),
  };
}

/** The mean longitude of the places, taken round the globe: the Pacific's lies near 180°. */
function middleLongitude(places: Place[]): number {
  const [x, y] = places
    .map((place) => (geoCentroid(place.geometry)[0] * Math.PI) / 180)
    .reduce(([sx, sy], angle) => [sx + Math.cos(angle), sy + Math.sin(angle)], [0, 0]);
  return (Math.atan2(y, x) * 180) / Math.PI;
}

/** The part of the world where a region's countries lie, with the land around them. */
function regionView(region: string): MapView {
  const codes = new Set(
    referenceCountries()
      .filter((country) => country.regionCode === region)
      .map((country) => country.code),
  );
  const focus = PLACES.filter((place) => place.code !== null && codes.has(place.code));
  const projection = geoEqualEarth()
    .rotate([-middleLongitude(focus), 0])
    .fitSize([VIEW_WIDTH, MAX_REGION_HEIGHT], collection(focus));
  const [[left, top], [right, bottom]] = geoPath(projection).bounds(collection(focus));
  const box = {
    left: Math.floor(left - REGION_MARGIN),
    top: Math.floor(top - REGION_MARGIN),
    right: Math.ceil(right + REGION_MARGIN),
    bottom: Math.ceil(bottom + REGION_MARGIN),
  };
  const toPath = geoPath(projection);
  const inView = PLACES.filter((place) => {
    const [[x0, y0], [x1, y1]] = toPath.bounds(place.geometry);
    return x1 >= box.left && x0 <= box.right && y1 >= box.top && y0 <= box.bottom;
  });
  return {
    file: `world-${region}.svg`,
    viewBox: `${box.left} ${box.top} ${box.right - box.left} ${box.bottom - box.top}`,
    shapes: project(inView, projection, box.right - box.left),
  };
}

const WORLD = worldView();
/**
 * A region's map is drawn once for all the region's countries, tracked or not, so that its
 * outlines are one file that browsers keep.
 */
const REGION_VIEWS = new Map<string, MapView>(
  REGION_CODES.map((region) => [region, regionView(region)]),
);

/**
 * The region's map, or the world's when the region is unknown or leaves out a listed country
 * (an administrator may move a country to another region).
 */
function viewOf(region: string | null, listed: Set<string>): MapView {
  const view = region ? REGION_VIEWS.get(region) : undefined;
  if (!view) return WORLD;
  const drawn = new Set(view.shapes.map((shape) => shape.code));
  return [...listed].every((code) => drawn.has(code) || !MAPPABLE_CODES.has(code)) ? view : WORLD;
}

/**
 * A view's outlines as an SVG file: each state's path under its code, all of them in the group
 * #land. The pages draw the group as the land not tracked, then each listed state over it; the
 * paths carry no colour, so that they take the one of the page's element that draws them.
 */
function outlinesFile(view: MapView): string {
  const paths = view.shapes
    .filter((shape) => shape.path)
    .map((shape) => `<path${shape.code ? ` id="${shape.code}"` : ''} d="${shape.path}"/>`);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="${view.viewBox}">` +
    `<g id="land">${paths.join('')}</g></svg>`
  );
}

/** The files of the map's outlines, by name: the world's and each region's. */
export const WORLD_MAP_FILES: ReadonlyMap<string, string> = new Map(
  [WORLD, ...REGION_VIEWS.values()].map((view) => [view.file, outlinesFile(view)]),
);

function phaseClass(country: MapCountry | undefined): string {
  return country ? `phase-${escapeHtml(country.phase ?? 'none')}` : 'land';
}

/** A link the pointer follows; keyboards and screen readers take the list of countries instead. */
function linked(country: MapCountry | undefined, content: string): string {
  return country ? `<a href="${escapeHtml(country.href)}" tabindex="-1">${content}</a>` : content;
}

/**
 * A marker is a round dot: a line of no length with round caps, which the style sheet sizes in
 * screen pixels (a non-scaling stroke), as large on a phone as on a laptop. A listed state's has
 * a wider, invisible dot around it, a target a finger can hit.
 */
function markerDots(shape: Shape, country: MapCountry | undefined): string {
  const [x, y] = shape.marker!;
  const at = `x1="${x}" y1="${y}" x2="${x}" y2="${y}"`;
  // The title goes with the outline, if the state has one.
  const title = country && !shape.path ? `<title>${escapeHtml(country.label)}</title>` : '';
  return (
    `<line ${at} class="marker ${phaseClass(country)}" data-marker="${shape.code}">${title}</line>` +
    (country ? `<line ${at} class="target"/>` : '')
  );
}

/**
 * The world as SVG: countries in `countries` coloured by phase and linked to their pages, the
 * others grey; with `region`, only the part of the world where the region lies. The outlines
 * come from the map's files (WORLD_MAP_FILES) under `assetsPrefix`, which browsers keep: the
 * page itself names the listed states and their phases.
 * The picture is for the eye and the pointer: it is hidden from assistive technology and its
 * links from the keyboard, for the page offers the same countries as a list beside it.
 */
export function renderWorldMap(
  countries: MapCountry[],
  options: { region?: string | null; assetsPrefix: string },
): string {
  const listed = new Map(countries.map((country) => [country.code, country]));
  const view = viewOf(options.region ?? null, new Set(listed.keys()));
  const outlines = `${options.assetsPrefix}${view.file}`;
  const countryOf = (shape: Shape) => (shape.code ? listed.get(shape.code) : undefined);
  // A small outline gets a marker when its state is listed (the atlas's small territories, such
  // as the Falklands, stay as they are); the states the atlas leaves out always have one.
  const marked = (shape: Shape) => shape.marker !== null && (!!countryOf(shape) || !shape.path);
  const drawn = view.shapes.filter((shape) => !!countryOf(shape) || marked(shape));
  const shapes = [
    ...drawn.filter((shape) => !marked(shape)),
    // Last, so that their markers lie on top of the land around them.
    ...drawn.filter(marked),
  ].map((shape) => {
    const country = countryOf(shape);
    const outline =
      country && shape.path
        ? `<use href="${outlines}#${shape.code}" class="${phaseClass(country)}">` +
          `<title>${escapeHtml(country.label)}</title></use>`
        : '';
    return linked(country, outline + (marked(shape) ? markerDots(shape, country) : ''));
  });
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="${view.viewBox}" class="world-map" ` +
    `aria-hidden="true" focusable="false">` +
    `<use href="${outlines}#land" class="land"/>` +
    shapes.join('') +
    `</svg>`
  );
}

/** Alpha-2 codes the map can draw: every state of the atlas, and those it leaves out. */
export function mappableCountryCodes(): Set<string> {
  return new Set(MAPPABLE_CODES);
}
