import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { CDPSession, Page } from 'playwright-core';

/** A network line as Chromium's DevTools emulate it. */
export interface NetworkLine {
  downloadKbps: number;
  uploadKbps: number;
  latencyMs: number;
}

/** A national team's line: 400 kbps down, 400 ms round trips. */
export const SLOW_LINE: NetworkLine = { downloadKbps: 400, uploadKbps: 400, latencyMs: 400 };

/** One visit of a page: its answer's status, the bytes that came over the network, the load event. */
export interface Visit {
  status: number;
  bytes: number;
  loadSeconds: number;
}

/**
 * Goes to `url` and counts the bytes received until the load event: headers and bodies as they
 * came over the wire (compressed), nothing for what the browser's cache served.
 */
export async function transferred(page: Page, url: string): Promise<Visit> {
  const cdp = await cdpSession(page);
  let bytes = 0;
  const count = (event: { encodedDataLength: number }) => (bytes += event.encodedDataLength);
  cdp.on('Network.loadingFinished', count);
  try {
    const response = await page.goto(url, { waitUntil: 'load' });
    // Asked on the same session, this answer comes after every event sent before it.
    const loadMs = await pageValue<number>(
      cdp,
      `performance.getEntriesByType('navigation')[0].loadEventStart`,
    );
    return { status: response?.status() ?? 0, bytes, loadSeconds: loadMs / 1000 };
  } finally {
    cdp.off('Network.loadingFinished', count);
  }
}

/** transferred() on an emulated line: the page keeps the line until it is closed. */
export async function throttledLoad(
  page: Page,
  url: string,
  line: NetworkLine = SLOW_LINE,
): Promise<Visit> {
  const cdp = await cdpSession(page);
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: line.latencyMs,
    downloadThroughput: (line.downloadKbps * 1000) / 8,
    uploadThroughput: (line.uploadKbps * 1000) / 8,
  });
  return transferred(page, url);
}

/** What axe-core found wrong on the page, one entry per rule. */
export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

const AXE_SOURCE = readFileSync(
  createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
  'utf8',
);

/**
 * Runs axe-core on the page as it is. The pages' Content-Security-Policy allows no inline script,
 * so a script tag with axe's source would be refused (page.addScriptTag with `content` is); a
 * DevTools evaluation is not subject to it, and leaves the policy, and the timings, as they are.
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(AXE_SOURCE);
  return page.evaluate(async (tags) => {
    const axe = (globalThis as unknown as { axe: AxeCore }).axe;
    const results = await axe.run({ runOnly: { type: 'tag', values: tags } });
    return results.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact,
      help: violation.help,
      targets: violation.nodes.map((node) => node.target.flat().join(' ')),
    }));
  }, AXE_TAGS);
}

/** The part of axe-core's API used here (the page has it once AXE_SOURCE has run). */
interface AxeCore {
  run(options: { runOnly: { type: 'tag'; values: string[] } }): Promise<{
    violations: {
      id: string;
      impact: string | null;
      help: string;
      nodes: { target: (string | string[])[] }[];
    }[];
  }>;
}

/** WCAG's contrast ratio of two sRGB colours given as CSS rgb()/rgba() strings, from 1 to 21. */
export function contrastRatio(first: string, second: string): number {
  const [lighter, darker] = [relativeLuminance(first), relativeLuminance(second)].sort(
    (a, b) => b - a,
  );
  return (lighter + 0.05) / (darker + 0.05);
}

function relativeLuminance(colour: string): number {
  const channels = /^rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)/.exec(colour);
  if (!channels) throw new Error(`Not an rgb() colour: ${colour}`);
  const [red, green, blue] = channels.slice(1, 4).map((value) => {
    const channel = Number(value) / 255;
    return channel <= 0.04045 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * red + 0.7152 * green + 0.0722 * blue;
}

const sessions = new WeakMap<Page, Promise<CDPSession>>();

/** One DevTools session per page, with the Network domain on, kept as long as the page. */
function cdpSession(page: Page): Promise<CDPSession> {
  let session = sessions.get(page);
  if (!session) {
    session = page
      .context()
      .newCDPSession(page)
      .then(async (cdp) => {
        await cdp.send('Network.enable');
        return cdp;
      });
    sessions.set(page, session);
  }
  return session;
}

async function pageValue<T>(cdp: CDPSession, expression: string): Promise<T> {
  const { result } = await cdp.send('Runtime.evaluate', { expression, returnByValue: true });
  return result.value as T;
}
