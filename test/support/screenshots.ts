import { join } from 'node:path';
import type { Page } from 'playwright-core';

/** Where the browser specs leave their screenshots, as test artefacts to look at. */
export const SCREENSHOTS = join(process.cwd(), 'test-artifacts', 'screenshots');

/**
 * Saves the whole page (or its top `maxHeight` pixels) as `<name>.png` under SCREENSHOTS.
 * Headless Chromium, when both cores are busy, now and then fails to hand over a frame ("Unable to
 * capture screenshot"); the page is fine, so the capture is tried once more before the test fails.
 */
export async function saveScreenshot(page: Page, name: string, maxHeight?: number): Promise<void> {
  const width = page.viewportSize()?.width ?? 1280;
  const options = {
    path: join(SCREENSHOTS, `${name}.png`),
    fullPage: true,
    ...(maxHeight ? { clip: { x: 0, y: 0, width, height: maxHeight } } : {}),
  };
  try {
    await page.screenshot(options);
  } catch (error) {
    if (!String(error).includes('Unable to capture screenshot')) throw error;
    await page.waitForTimeout(500);
    await page.screenshot(options);
  }
}
