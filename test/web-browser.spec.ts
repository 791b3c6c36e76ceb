import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { DEMO_PASSWORD, DEMO_USERS, loadDemoPortfolio } from '../src/demo/demo-portfolio.js';
import { SmtpSink } from './support/smtp-sink.js';
import { launchChromium, signInThroughForm, watchedPage } from './support/chromium.js';
import { type TestApp, startTestApp } from './support/test-app.js';
import { SCREENSHOTS, saveScreenshot } from './support/screenshots.js';

const WIDTHS = [1280, 390];
/** Every country there is: the "200-country" portfolio the page timings are taken on. */
const DEMO_COUNTRIES = 195;

describe('web pages in a real browser', () => {
  let t: TestApp;
  let sink: SmtpSink;
  let browser: Browser;
  let baseUrl: string;

  beforeAll(async () => {
    sink = new SmtpSink();
    await sink.start();
    t = await startTestApp({
      env: { PROCESS_ROLE: 'all', SMTP_URL: sink.url, PUBLIC_URL: 'http://127.0.0.1' },
    });
    await loadDemoPortfolio(t.app, { countries: DEMO_COUNTRIES });
    await t.app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    browser = await launchChromium();
    mkdirSync(SCREENSHOTS, { recursive: true });
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await sink?.stop();
  });

  const one = async <T>(sql: string, params: unknown[] = []): Promise<T> =>
    (await t.dataSource.query(sql, params))[0] as T;

  async function signIn(email: string, width = 1280, javaScriptEnabled = true): Promise<Page> {
    const page = await watchedPage(browser, {
      viewport: { width, height: 900 },
      baseURL: baseUrl,
      acceptDownloads: true,
      javaScriptEnabled,
    });
    return signInThroughForm(page, email, DEMO_PASSWORD);
  }

  /** Saves the page as it is now at each width, down to 2,400 px, as test artefacts. */
  async function screenshot(page: Page, name: string): Promise<void> {
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 900 });
      await saveScreenshot(page, `${name}-${width}`, 2400);
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  }

  it('should give each level of the questionnaire a target of 44 px or more on a phone', async () => {
    const page = await signIn(DEMO_USERS.team.email, 390);
    await page
      .getByRole('link', { name: /National CIRT readiness/ })
      .first()
      .click();
    await page.waitForURL(/\/app\/assessments\//);
    const heights = await page
      .locator('details[open] .levels label')
      .evaluateAll((labels) =>
        labels.slice(0, 12).map((label) => label.getBoundingClientRect().height),
      );
    expect(heights).toHaveLength(12);
    expect(Math.min(...heights)).toBeGreaterThanOrEqual(44);
    await page.close();
  });

  it('should save a level chosen with the arrow keys once, when the choice is made, not at each step', async () => {
    const page = await signIn(DEMO_USERS.team.email);
    await page
      .getByRole('link', { name: /National CIRT readiness/ })
      .first()
      .click();
    await page.waitForURL(/\/app\/assessments\//);
    const form = page.locator('form.indicator:not([data-answered])').first();
    const indicator = await form.getAttribute('data-indicator');
    const saves: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'PUT' && request.url().endsWith(`/responses/${indicator}`))
        saves.push(request.postData() ?? '');
    });
    await form.locator('input[name=level][value="0"]').focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await page.waitForTimeout(500);
    expect(saves).toEqual([]);
    const saved = page.waitForResponse(
      (response) =>
        response.request().method() === 'PUT' && response.url().endsWith(`/responses/${indicator}`),
    );
    await page.keyboard.press('Tab');
    expect((await saved).status()).toBe(200);
    expect(saves).toHaveLength(1);
    expect(JSON.parse(saves[0])).toMatchObject({ level: 2 });
    await page.close();
  });

  /** The element that has the focus: its text, to see that a confirmation took it. */
  const focusedText = (page: Page) =>
    page.evaluate(() => document.activeElement?.textContent?.trim() ?? '');

  it("should walk a national team from the gate's checklist through the questionnaire to its submission", async () => {
    const page = await signIn(DEMO_USERS.team.email);
    expect(new URL(page.url()).pathname).toBe('/app/countries/KE');
    await screenshot(page, 'country');

    // What's next leads: the gate's checks in words, and why there is no request button yet.
    const next = page.getByRole('region', { name: /^What's next/ });
    const checks = await next.locator('.checks li').allInnerTexts();
    expect(checks.some((check) => /No readiness assessment .* is validated/.test(check))).toBe(
      true,
    );
    expect(await next.getByRole('button').count()).toBe(0);
    expect(await next.innerText()).toContain(
      'The button to ask for the move to Planning appears here once every condition above is met.',
    );

    await next
      .getByRole('link', { name: /^Open the questionnaire \(Draft, \d+ of \d+ answered\)/ })
      .click();
    await page.waitForURL(/\/app\/assessments\//);
    const assessmentId = new URL(page.url()).pathname.split('/').pop()!;
    const status = async () =>
      (
        await one<{ status: string }>(`SELECT status FROM assessments WHERE id = $1`, [
          assessmentId,
        ])
      ).status;

    // Submitted too early: refused at the button, the missing answers listed as links.
    await Promise.all([
      page.waitForEvent('load'),
      page.getByRole('button', { name: 'Submit for validation' }).click(),
    ]);
    expect(await focusedText(page)).toMatch(/answers are missing or lack evidence/);
    expect(await status()).toBe('draft');

    // Each missing answer, reached by its link (which opens its area), answered at level 2,
    // or given the evidence its level needs; each leaves the list once saved.
    const missing = page.locator('[data-missing-list] li');
    for (let left = await missing.count(); left > 0; left = await missing.count()) {
      const item = missing.first();
      const key = (await item.getAttribute('data-missing'))!;
      const needsEvidence = (await item.innerText()).includes('needs evidence');
      await item.getByRole('link').click();
      const form = page.locator(`#indicator-${key}`);
      await form.waitFor({ state: 'visible' });
      if (needsEvidence) {
        await form.getByLabel(/^Evidence/).fill(`https://example.org/ke/${key}.pdf`);
        await form.getByLabel(/^Evidence/).blur();
      } else {
        await form.getByRole('radio', { name: /^2 · / }).check();
      }
      await page.locator(`[data-missing="${key}"]`).waitFor({ state: 'detached' });
      expect(await missing.count()).toBe(left - 1);
    }
    expect(await page.locator('[data-nothing-missing]').isVisible()).toBe(true);
    await screenshot(page, 'questionnaire');

    await Promise.all([
      page.waitForEvent('load'),
      page.getByRole('button', { name: 'Submit for validation' }).click(),
    ]);
    expect(await focusedText(page)).toContain('The questionnaire is submitted.');
    expect(await status()).toBe('submitted');
    await page.close();
  }, 120_000);

  for (const javaScript of [true, false]) {
    it(`should let a national team edit a milestone and post a status update, with JavaScript ${javaScript ? 'on' : 'off'}`, async () => {
      const page = await signIn(DEMO_USERS.team.email, 1280, javaScript);
      const milestone = await one<{ id: string; version: number }>(
        `SELECT m.id, m.version FROM milestones m JOIN programmes p ON p.id = m.programme_id
         WHERE p.country_code = 'KE' AND p.cirt_type = 'national' AND m.status <> 'done'
         ORDER BY m.due_date DESC, m.id LIMIT 1`,
      );
      const row = page.locator(`[data-milestone="${milestone.id}"]`);
      await row.locator('details.edit > summary').click();
      const edit = page.locator(`#milestone-edit-${milestone.id}`);
      const description = `Agreed with the ministry (${javaScript ? 'script' : 'no script'})`;
      await edit.getByLabel('Due date').fill('2027-06-30');
      await edit.getByLabel('Description').fill(description);
      await Promise.all([
        page.waitForEvent('load'),
        edit.getByRole('button', { name: 'Save the milestone' }).click(),
      ]);
      expect(await focusedText(page)).toBe('✔ The milestone is saved.');
      expect(
        await one(
          `SELECT due_date::text AS "dueDate", description, version FROM milestones WHERE id = $1`,
          [milestone.id],
        ),
      ).toEqual({ dueDate: '2027-06-30', description, version: milestone.version + 1 });

      const status = page.locator(`#milestone-status-${milestone.id}`);
      await status.getByLabel(/^Status/).selectOption('in_progress');
      await Promise.all([
        page.waitForEvent('load'),
        status.getByRole('button', { name: /^Save/ }).click(),
      ]);
      expect(await focusedText(page)).toBe('✔ The milestone is saved.');
      expect(await one(`SELECT status FROM milestones WHERE id = $1`, [milestone.id])).toEqual({
        status: 'in_progress',
      });

      const summary = `Host institution signed the CIRT mandate (${Date.now()})`;
      const updateForm = page.locator('#status-update');
      await updateForm.getByLabel('Health').selectOption('at_risk');
      await updateForm.getByLabel('Summary').fill(summary);
      await Promise.all([
        page.waitForEvent('load'),
        updateForm.getByRole('button', { name: 'Post the update' }).click(),
      ]);
      expect(await focusedText(page)).toBe('✔ Your status update is posted.');
      expect(await page.locator('.feed li').first().innerText()).toContain(summary);
      expect(await one(`SELECT health FROM status_updates WHERE summary = $1`, [summary])).toEqual({
        health: 'at_risk',
      });
      await page.close();
    }, 60_000);
  }

  it('should say in the page when the server cannot be reached, and save nothing', async () => {
    const page = await signIn(DEMO_USERS.team.email);
    const summary = `Written on a dropped line (${Date.now()})`;
    const updateForm = page.locator('#status-update');
    await updateForm.getByLabel('Summary').fill(summary);
    await page.context().setOffline(true);
    await updateForm.getByRole('button', { name: 'Post the update' }).click();
    const error = updateForm.locator('.form-error');
    await error.waitFor({ state: 'visible' });
    expect(await error.innerText()).toContain('The server could not be reached');
    expect(await updateForm.getByRole('button', { name: 'Post the update' }).isEnabled()).toBe(
      true,
    );
    await page.context().setOffline(false);
    expect(
      await t.dataSource.query(`SELECT 1 FROM status_updates WHERE summary = $1`, [summary]),
    ).toEqual([]);
    await page.close();
  });

  it("should name a refused field by its label in the page's language, not by the API's name", async () => {
    const page = await signIn(DEMO_USERS.team.email);
    await page.goto('/app/countries/KE?lang=fr');
    const updateForm = page.locator('#status-update');
    // Longer than the API takes: the field's own limit, which stops typing, taken off first.
    const summary = updateForm.locator('[name=summary]');
    await summary.evaluate((field) => field.removeAttribute('maxlength'));
    await summary.fill('x'.repeat(4001));
    await Promise.all([
      page.waitForEvent('load'),
      updateForm.locator('button[type=submit]').click(),
    ]);
    // Shown again with the error next to the field, which has the focus and keeps what was typed.
    const error = page.locator('#update-summary-error');
    const text = await error.innerText();
    expect(text).toContain('Résumé doit compter de 1 à 4');
    expect(text).not.toContain('summary');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('update-summary');
    expect((await page.locator('#update-summary').inputValue()).length).toBe(4001);
    await page.close();
  });

  it("should let a regional coordinator approve a request from the home page's count", async () => {
    const pending = await one<{ id: string }>(
      `SELECT t.id FROM phase_transitions t JOIN programmes p ON p.id = t.programme_id
       JOIN countries c ON c.code = p.country_code
       WHERE t.status = 'pending' AND c.region_code = 'AFR'
         AND t.requested_by <> (SELECT id FROM users WHERE email = $1)
       ORDER BY t.requested_at LIMIT 1`,
      [DEMO_USERS.coordinator.email],
    );
    const page = await signIn(DEMO_USERS.coordinator.email);
    expect(new URL(page.url()).pathname).toBe('/app/portfolio');
    await screenshot(page, 'home-coordinator');
    const decisions = page.locator('[data-count="decisions"] a');
    const waiting = Number(await decisions.locator('.n').innerText());
    expect(waiting).toBeGreaterThan(0);
    // The menu says the same number.
    expect(await page.getByRole('navigation', { name: 'Main navigation' }).innerText()).toContain(
      String(waiting),
    );

    await decisions.click();
    await page.waitForURL('**/app/queue#decide-title');
    const card = page.locator(`[data-transition="${pending.id}"]`);
    await card.getByLabel(/^Note/).fill('Plan and budget reviewed with the ministry');
    await Promise.all([
      page.waitForEvent('load'),
      card.getByRole('button', { name: 'Approve' }).click(),
    ]);
    expect(await focusedText(page)).toBe(
      '✔ The move is approved: the programme is in its new phase.',
    );
    expect(await page.locator(`[data-transition="${pending.id}"]`).count()).toBe(0);
    expect(await one(`SELECT status FROM phase_transitions WHERE id = $1`, [pending.id])).toEqual({
      status: 'approved',
    });

    await page.getByRole('link', { name: 'Portfolio' }).click();
    await page.waitForURL('**/app/portfolio');
    expect(Number(await decisions.locator('.n').innerText())).toBe(waiting - 1);
    await page.close();
  }, 60_000);

  it('should let an itu_pm approve a transition from My queue and see the phase change on the map', async () => {
    const pending = await one<{ id: string; countryCode: string; toPhase: string }>(
      `SELECT t.id, p.country_code AS "countryCode", t.to_phase AS "toPhase"
       FROM phase_transitions t JOIN programmes p ON p.id = t.programme_id
       WHERE t.status = 'pending' AND t.requested_by <> (SELECT id FROM users WHERE email = $1)
       ORDER BY t.requested_at LIMIT 1`,
      [DEMO_USERS.pm.email],
    );
    const page = await signIn(DEMO_USERS.pm.email);
    await screenshot(page, 'home-pm');
    await page.getByRole('link', { name: /^My queue/ }).click();
    await page.waitForURL('**/app/queue');
    await screenshot(page, 'queue');
    const mapLink = page.locator(`.map a[href="/app/countries/${pending.countryCode}"] use`);
    const card = page.locator(`[data-transition="${pending.id}"]`);
    await card.getByLabel(/^Note/).fill('Plan and budget reviewed with the ministry');
    await Promise.all([
      page.waitForEvent('load'),
      card.getByRole('button', { name: 'Approve' }).click(),
    ]);
    expect(await page.locator(`[data-transition="${pending.id}"]`).count()).toBe(0);
    expect(await one(`SELECT status FROM phase_transitions WHERE id = $1`, [pending.id])).toEqual({
      status: 'approved',
    });

    await page.getByRole('link', { name: 'Portfolio' }).click();
    await page.waitForURL('**/app/portfolio');
    expect(await mapLink.getAttribute('class')).toBe(`phase-${pending.toPhase}`);
    await page.close();
  }, 60_000);

  it("should show a regional coordinator only their region's countries", async () => {
    const page = await signIn(DEMO_USERS.coordinator.email);
    expect(new URL(page.url()).pathname).toBe('/app/portfolio');
    const regionOf: Record<string, string> = Object.fromEntries(
      (await t.dataSource.query(`SELECT code, region_code AS region FROM countries`)).map(
        (row: { code: string; region: string }) => [row.code, row.region],
      ),
    );
    const shown = await page
      .locator('[data-country]')
      .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-country')!));
    const linked = await page
      .locator('a[href^="/app/countries/"]')
      .evaluateAll((links) => links.map((link) => link.getAttribute('href')!.split('/').pop()!));
    expect(shown.length).toBeGreaterThan(20);
    expect(new Set([...shown, ...linked].map((code) => regionOf[code.slice(0, 2)]))).toEqual(
      new Set(['AFR']),
    );
    await screenshot(page, 'portfolio-coordinator');
    await page.close();
  }, 60_000);

  it('should show the lifecycle KPIs on the portfolio page as the API computes them, in English and Arabic', async () => {
    const pm = await one<{ id: string }>(`SELECT id FROM users WHERE email = $1`, [
      DEMO_USERS.pm.email,
    ]);
    const kpis = (
      await t.app.inject({
        method: 'GET',
        url: '/api/v1/portfolio/kpis',
        headers: { authorization: `Bearer ${await t.tokenFor(pm)}` },
      })
    ).json();
    // The demo's phase history has programmes that reached operation, and phases left.
    expect(kpis.established).toBeGreaterThan(0);
    expect(kpis.counted.phases.readiness_assessment).toBeGreaterThan(0);
    const page = await signIn(DEMO_USERS.pm.email);
    const section = page.locator('section.lifecycle');
    await section.scrollIntoViewIfNeeded();
    expect(await section.locator('[data-kpi="established"]').textContent()).toBe(
      `${kpis.established} of ${kpis.programmes} programmes have reached operation`,
    );
    expect(await section.locator('[data-kpi="staleUpdates"]').textContent()).toBe(
      String(kpis.staleUpdates),
    );
    const phaseChart = page.getByRole('table', { name: 'Median days in each phase' });
    expect(await phaseChart.getByRole('row').first().getByRole('rowheader').textContent()).toBe(
      `Readiness assessment (${kpis.counted.phases.readiness_assessment} completed)`,
    );
    const regions = await page
      .locator('#lifecycle-region-table tbody tr')
      .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-region')));
    expect(regions).toEqual(kpis.byRegion.map((row: { regionCode: string }) => row.regionCode));
    // Each programme in the table carries its projection, or a dash once established.
    const projected = await page
      .locator('#programme-table tbody tr td:last-child')
      .evaluateAll((cells) => cells.map((cell) => cell.textContent!.trim()));
    expect(projected.length).toBeGreaterThan(0);
    expect(projected.some((text) => text !== '–')).toBe(true);
    await section.screenshot({ path: join(SCREENSHOTS, 'portfolio-kpis-1280.png') });

    // A programme's workspace says when it is projected to reach operation.
    const projectedOne = (
      await t.app.inject({
        method: 'GET',
        url: '/api/v1/programmes?phase=planning&pageSize=1',
        headers: { authorization: `Bearer ${await t.tokenFor(pm)}` },
      })
    ).json().items[0];
    expect(projectedOne.projectedOperationDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    await page.goto(`/app/countries/${projectedOne.countryCode}?programme=${projectedOne.id}`);
    const [year] = projectedOne.projectedOperationDate.split('-');
    expect(await page.locator('[data-kpi="projectedOperationDate"]').textContent()).toContain(year);

    await page.goto('/app/portfolio?lang=ar');
    await page.setViewportSize({ width: 390, height: 900 });
    const arabic = page.locator('section.lifecycle');
    expect(await arabic.getByRole('heading', { level: 2 }).textContent()).toBe(
      'مؤشرات دورة الحياة',
    );
    await arabic.screenshot({ path: join(SCREENSHOTS, 'portfolio-kpis-ar-390.png') });
    await page.close();
  }, 60_000);

  it('should compile a report requested on the Reports page and download it as PDF', async () => {
    const page = await signIn(DEMO_USERS.pm.email);
    await page.getByRole('link', { name: 'Reports' }).click();
    await page.waitForURL('**/app/reports');
    const form = page.locator('#report-request');
    await form.getByLabel('Region').selectOption('ASP');
    await Promise.all([
      page.waitForEvent('load'),
      form.getByRole('button', { name: 'Request a report' }).click(),
    ]);
    const newest = page.locator('tr[data-report]').first();
    const pdfLink = newest.getByRole('link', { name: 'PDF' });
    await pdfLink.waitFor({ timeout: 30_000 });
    await screenshot(page, 'reports');
    const [download] = await Promise.all([page.waitForEvent('download'), pdfLink.click()]);
    const file = join(SCREENSHOTS, '..', 'report.pdf');
    await download.saveAs(file);
    expect(readFileSync(file).subarray(0, 5).toString()).toBe('%PDF-');
    const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' });
    expect(text).toContain('Scope: Region ASP');
    await page.close();
  }, 60_000);

  it('should show the delivery log, and the sign-in page, at both widths', async () => {
    const page = await signIn(DEMO_USERS.pm.email);
    await page.getByRole('link', { name: 'Notifications' }).click();
    await page.waitForURL('**/app/notifications');
    expect(await page.getByRole('heading', { name: /Delivery log/ }).count()).toBe(1);
    await screenshot(page, 'notifications');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL('**/login');
    await screenshot(page, 'sign-in');
    await page.close();
  });

  it('should print how fast each page answers on the whole demo portfolio, and what it weighs on a slow line', async () => {
    const cookieOf = async (email: string) => {
      const response = await fetch(`${baseUrl}/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ email, password: DEMO_PASSWORD }),
        redirect: 'manual',
      });
      return /cirt_session=[^;]+/.exec(response.headers.get('set-cookie') ?? '')![0];
    };
    const pm = await cookieOf(DEMO_USERS.pm.email);
    const team = await cookieOf(DEMO_USERS.team.email);
    const coordinator = await cookieOf(DEMO_USERS.coordinator.email);
    const { assessmentId } = await one<{ assessmentId: string }>(
      `SELECT a.id AS "assessmentId" FROM assessments a JOIN programmes p ON p.id = a.programme_id
       WHERE p.country_code = 'KE' ORDER BY a.created_at DESC LIMIT 1`,
    );
    const pages: [string, string, string | undefined][] = [
      ['sign-in', '/login', undefined],
      ['portfolio (itu_pm)', '/app/portfolio', pm],
      ['portfolio (coordinator)', '/app/portfolio', coordinator],
      ['my queue', '/app/queue', pm],
      ['country workspace', '/app/countries/KE', team],
      ['questionnaire', `/app/assessments/${assessmentId}`, team],
      ['reports', '/app/reports', pm],
      ['notifications', '/app/notifications', pm],
    ];
    const lines = [`Page timings on the ${DEMO_COUNTRIES}-country demo (median of 5, ms):`];
    for (const [name, path, cookie] of pages) {
      const times: number[] = [];
      for (let round = 0; round < 5; round += 1) {
        const started = performance.now();
        const response = await fetch(`${baseUrl}${path}`, {
          headers: cookie ? { cookie } : {},
          redirect: 'manual',
        });
        await response.text();
        times.push(performance.now() - started);
        expect(response.status).toBe(200);
      }
      times.sort((a, b) => a - b);
      lines.push(`  ${name.padEnd(26)} ${times[2].toFixed(1).padStart(7)}`);
    }
    process.stdout.write(`${lines.join('\n')}\n`);

    // The same pages on a national team's line: 400 kbps down, 400 ms round trips.
    const weights = ['Page weight at 400 kbps and 400 ms latency (KB transferred, load event s):'];
    for (const [name, path, cookie] of pages) {
      const context = await browser.newContext({ baseURL: baseUrl });
      if (cookie) {
        const [cookieName, value] = cookie.split('=');
        await context.addCookies([{ name: cookieName, value, url: baseUrl }]);
      }
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.emulateNetworkConditions', {
        offline: false,
        latency: 400,
        downloadThroughput: (400 * 1024) / 8,
        uploadThroughput: (400 * 1024) / 8,
      });
      let bytes = 0;
      cdp.on('Network.loadingFinished', (event) => (bytes += event.encodedDataLength));
      const visit = async () => {
        bytes = 0;
        const started = performance.now();
        const response = await page.goto(path, { waitUntil: 'load' });
        expect(response?.status()).toBe(200);
        return { kb: bytes / 1024, seconds: (performance.now() - started) / 1000 };
      };
      const first = await visit();
      const repeat = await visit();
      weights.push(
        `  ${name.padEnd(26)} first ${first.kb.toFixed(1).padStart(6)} KB ${first.seconds.toFixed(2)} s · repeat ${repeat.kb.toFixed(1).padStart(6)} KB ${repeat.seconds.toFixed(2)} s`,
      );
      await context.close();
    }
    process.stdout.write(`${weights.join('\n')}\n`);
  }, 120_000);
});
