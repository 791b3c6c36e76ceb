import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The pages' own stylesheet and script. */
export const WEB_ASSETS = fileURLToPath(new URL('./assets', import.meta.url));
/** Chart.js, served from its package, for the pages that draw a chart. */
export const CHART_JS_DIST = dirname(createRequire(import.meta.url).resolve('chart.js'));
export const CHART_JS_FILE = 'chart.umd.min.js';

/**
 * A digest of every file served under /assets: their URLs carry it, so they change whenever a file
 * does, and browsers may keep them for a year without asking again.
 */
const version = createHash('sha256');
for (const file of readdirSync(WEB_ASSETS).sort())
  version.update(readFileSync(join(WEB_ASSETS, file)));
version.update(readFileSync(join(CHART_JS_DIST, CHART_JS_FILE)));

export const ASSETS_PREFIX = `/assets/${version.digest('hex').slice(0, 12)}/`;
export const CHART_JS_PREFIX = `${ASSETS_PREFIX}vendor/`;

/** The URLs the pages link to. */
export const ASSET_URLS = {
  css: `${ASSETS_PREFIX}app.css`,
  js: `${ASSETS_PREFIX}app.js`,
  chart: `${CHART_JS_PREFIX}${CHART_JS_FILE}`,
};
