import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WORLD_MAP_FILES } from './world-map.js';

/** The pages' own stylesheet and script. */
export const WEB_ASSETS = fileURLToPath(new URL('./assets', import.meta.url));

/** The map's outlines, SVG files by name, drawn when the application starts: served beside those. */
export const MAP_ASSETS: ReadonlyMap<string, string> = WORLD_MAP_FILES;

/**
 * A digest of every file served under /assets: their URLs carry it, so they change whenever a file
 * does, and browsers may keep them for a year without asking again.
 */
const version = createHash('sha256');
for (const file of readdirSync(WEB_ASSETS).sort())
  version.update(readFileSync(join(WEB_ASSETS, file)));
for (const [name, content] of MAP_ASSETS) version.update(name).update(content);

export const ASSETS_PREFIX = `/assets/${version.digest('hex').slice(0, 12)}/`;

/** The URLs the pages link to. */
export const ASSET_URLS = {
  css: `${ASSETS_PREFIX}app.css`,
  js: `${ASSETS_PREFIX}app.js`,
};
