import { type Browser, type BrowserContextOptions, type Page, chromium } from 'playwright-core';

/**
 * Debian's Chromium (or CHROMIUM_PATH), driven headless through playwright-core; `.ci/run` installs
 * it, and the CJK fonts, when missing.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/**
 * A page in a browser context of its own that fails its test, when closed, if a script threw, the
 * content security policy refused something (an inline script left in a template), or a request
 * got a 5xx.
 */
export async function watchedPage(browser: Browser, options: BrowserContextOptions): Promise<Page> {
  const page = await browser.newPage(options);
  const failures: string[] = [];
  page.on('pageerror', (error) => failures.push(error.message));
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) failures.push(message.text());
  });
  page.on('response', (response) => {
    if (response.status() >= 500) failures.push(`${response.status()} ${response.url()}`);
  });
  page.on('close', () => expect(failures).toEqual([]));
  return page;
}

/**
 * Signs in through the sign-in form, in `lang` when given (the fields are found by their ids, so
 * in any language), and waits to be sent on to the start page.
 */
export async function signInThroughForm(
  page: Page,
  email: string,
  password: string,
  lang?: string,
): Promise<Page> {
  await page.goto(lang ? `/login?lang=${lang}` : '/login');
  await page.locator('#email').fill(email);
  await page.locator('#password').fill(password);
  await page.locator('form[action="/login"] button[type=submit]').click();
  await page.waitForURL((url) => url.pathname !== '/login');
  return page;
}
