import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jest } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { DOCUMENT_TYPES } from '../src/documents/document.constants.js';
import { formatError } from '../src/messages/catalog.js';
import { createAssessment } from './factories/assessments.js';
import { tinyPdf, uploadDocument } from './factories/documents.js';
import { createProgramme, createStakeholder } from './factories/programmes.js';
import { type Staff, TEST_PASSWORD, type TestUser, createStaff } from './factories/users.js';
import { launchChromium, signInThroughForm, watchedPage } from './support/chromium.js';
import { axeViolations } from './support/page-audit.js';
import { SCREENSHOTS, saveScreenshot } from './support/screenshots.js';
import { type TestApp, client, startTestApp } from './support/test-app.js';

/**
 * A programme's documents on the country workspace, in a real browser with JavaScript off: the
 * gate's checklist leads to the missing deliverable's form, the file goes up through a plain form
 * post, and the versions are listed with their SHA-256 and a download.
 */
describe('documents on the country workspace', () => {
  jest.setTimeout(90_000);
  let t: TestApp;
  let staff: Staff;
  let browser: Browser;
  let baseUrl: string;
  let programmeId: string;
  const folder = join(tmpdir(), 'cirt-document-pages');

  beforeAll(async () => {
    t = await startTestApp({ env: { PUBLIC_URL: 'http://127.0.0.1' } });
    staff = await createStaff(t.dataSource);
    programmeId = (
      await createProgramme(t, staff.admin, { countryCode: 'KE', cirtType: 'national' })
    ).id;
    // Everything of the readiness gate but the report.
    await createAssessment(t, staff.admin, programmeId, 'validated');
    await t.dataSource.query(
      `UPDATE milestones SET status = 'done', completed_at = now() WHERE programme_id = $1`,
      [programmeId],
    );
    for (const role of ['national_focal_point', 'host_approver']) {
      await createStakeholder(t, staff.admin, 'KE', { role });
    }
    await t.app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    browser = await launchChromium();
    mkdirSync(SCREENSHOTS, { recursive: true });
    mkdirSync(folder, { recursive: true });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  /** Signed in, with JavaScript off unless `scripts` (axe and measures run in the page). */
  async function signIn(user: TestUser, lang = 'en', width = 1280, scripts = false): Promise<Page> {
    const page = await watchedPage(browser, {
      viewport: { width, height: 900 },
      baseURL: baseUrl,
      javaScriptEnabled: scripts,
    });
    return signInThroughForm(page, user.email, TEST_PASSWORD, lang);
  }

  const documentsOf = async () =>
    (await client(t, staff.admin)('GET', `/api/v1/programmes/${programmeId}/documents`)).json();
  const section = (page: Page) => page.locator('section[aria-labelledby="documents-title"]');

  it('should lead from the gate to the missing report, upload it without JavaScript, and let the move be asked', async () => {
    const page = await signIn(staff.national_team);
    await page.goto('/app/countries/KE');
    expect(await page.locator('#transition-request').count()).toBe(0);
    const link = page.getByRole('link', { name: 'Upload it under Documents' });
    expect(await link.getAttribute('href')).toBe('#upload-assessment_report');
    await link.click();
    // The missing deliverable's form is open where the link lands.
    const form = page.locator('#upload-assessment_report');
    expect(await form.isVisible()).toBe(true);

    const file = join(folder, 'Rapport d’évaluation.pdf');
    const content = tinyPdf('the readiness assessment report');
    writeFileSync(file, content);
    await form.getByLabel('Title').fill('');
    await form.getByLabel('File').setInputFiles(file);
    const [response] = await Promise.all([
      page.waitForResponse((answer) => answer.request().method() === 'POST'),
      form.getByRole('button', { name: 'Upload' }).click(),
    ]);
    expect(response.status()).toBe(303);
    await page.waitForLoadState('load');
    expect(await page.getByText('The document is uploaded.').count()).toBe(1);

    const [stored] = await documentsOf();
    expect(stored).toMatchObject({
      kind: 'assessment_report',
      title: null,
      version: 1,
      filename: 'Rapport d’évaluation.pdf',
      contentType: 'application/pdf',
      sha256: createHash('sha256').update(content).digest('hex'),
    });
    const listed = section(page).locator(`[data-document="${stored.id}"]`);
    expect(await listed.textContent()).toContain(stored.sha256);
    // The gate now holds: the request button is there.
    expect(await page.locator('#transition-request').count()).toBe(1);

    // The download link gives back the very bytes.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      listed.getByRole('link', { name: /Download version 1/ }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('Rapport d’évaluation.pdf');
    expect(readFileSync((await download.path())!).equals(content)).toBe(true);
    await page.close();
  });

  it('should refuse a file that is not a document at the form, in the reader’s language, and keep nothing', async () => {
    const before = (await documentsOf()).length;
    const page = await signIn(staff.national_team, 'fr');
    await page.goto('/app/countries/KE');
    const file = join(folder, 'notes.pdf');
    writeFileSync(file, 'only some text, not a PDF');
    await page.locator('details:has(#upload-design_document) > summary').click();
    await page.locator('#upload-file-design_document').setInputFiles(file);
    const [response] = await Promise.all([
      page.waitForResponse((answer) => answer.request().method() === 'POST'),
      page.locator('#upload-design_document button[type=submit]').click(),
    ]);
    expect(response.status()).toBe(415);
    await page.waitForLoadState('load');
    expect(await page.locator('#upload-design_document .form-error').textContent()).toBe(
      formatError(
        'document_type_not_allowed',
        { allowed: Object.values(DOCUMENT_TYPES).join(', ') },
        'fr',
      ),
    );
    expect((await documentsOf()).length).toBe(before);
    await page.close();
  });

  it('should let an answer of the questionnaire cite a document of the programme, without JavaScript', async () => {
    const [report] = await documentsOf();
    const { id } = await createAssessment(t, staff.admin, programmeId, 'answered');
    const page = await signIn(staff.national_team);
    await page.goto(`/app/assessments/${id}?open=A1#indicator-A1`);
    const form = page.locator('#indicator-A1');
    const box = form.getByRole('checkbox', { name: /Readiness assessment report/ });
    expect(await box.isChecked()).toBe(false);
    await box.check();
    const [response] = await Promise.all([
      page.waitForResponse((answer) => answer.request().method() === 'POST'),
      form.locator('button.save-answer').click(),
    ]);
    expect(response.status()).toBe(303);
    await page.waitForLoadState('load');
    const answers = (await client(t, staff.admin)('GET', `/api/v1/assessments/${id}`)).json()
      .responses as { indicatorKey: string; evidenceDocuments: string[] }[];
    expect(answers.find((answer) => answer.indicatorKey === 'A1')!.evidenceDocuments).toEqual([
      report.id,
    ]);
    // Shown ticked again; unticked and saved, the citation goes.
    const again = page.locator('#indicator-A1').getByRole('checkbox', {
      name: /Readiness assessment report/,
    });
    expect(await again.isChecked()).toBe(true);
    await page.locator('#indicator-A1').screenshot({
      path: `${SCREENSHOTS}/questionnaire-documents-en-1280.png`,
    });
    // The same answer as a team reads it in Arabic on a phone: nothing sideways, no axe violation.
    const arabic = await signIn(staff.national_team, 'ar', 390, true);
    await arabic.goto(`/app/assessments/${id}?open=A1#indicator-A1`);
    await arabic.locator('#indicator-A1').screenshot({
      path: `${SCREENSHOTS}/questionnaire-documents-ar-390.png`,
    });
    expect(
      await arabic.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      ),
    ).toBe(0);
    expect(await axeViolations(arabic)).toEqual([]);
    await arabic.close();
    await again.uncheck();
    await Promise.all([
      page.waitForResponse((answer) => answer.request().method() === 'POST'),
      page.locator('#indicator-A1 button.save-answer').click(),
    ]);
    await page.waitForLoadState('load');
    const after = (await client(t, staff.admin)('GET', `/api/v1/assessments/${id}`)).json()
      .responses as { indicatorKey: string; evidenceDocuments: string[] }[];
    expect(after.find((answer) => answer.indicatorKey === 'A1')!.evidenceDocuments).toEqual([]);
    await page.close();
  });

  it('should show versions newest first, observers only titles and dates, and read well in English and Arabic', async () => {
    await uploadDocument(t, staff.national_team, programmeId, 'design_document', {
      name: 'design-v1.pdf',
    });
    await uploadDocument(t, staff.national_team, programmeId, 'design_document', {
      name: 'design-v2.pdf',
    });
    const problems: string[] = [];
    for (const lang of ['en', 'ar']) {
      for (const width of [1280, 390]) {
        const page = await signIn(staff.itu_pm, lang, width, true);
        await page.goto('/app/countries/KE');
        const versions = section(page).locator('[data-document] .versions li');
        expect(await versions.count()).toBeGreaterThanOrEqual(3);
        await saveScreenshot(page, `documents-${lang}-${width}`);
        const overflow = await page.evaluate(
          () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
        );
        if (overflow > 0) problems.push(`${lang} at ${width} px: ${overflow} px sideways`);
        for (const violation of await axeViolations(page)) {
          problems.push(`${lang} at ${width} px: ${violation.id} ${violation.targets.join(', ')}`);
        }
        await page.close();
      }
    }
    expect(problems).toEqual([]);

    const observer = await signIn(staff.observer);
    await observer.goto('/app/countries/KE');
    expect(await section(observer).getByText('Design Document').count()).toBeGreaterThan(0);
    expect(await section(observer).locator('a[href*="/download"]').count()).toBe(0);
    expect(await section(observer).locator('form').count()).toBe(0);
    await observer.close();
  });

  it('should name documents in the audit trail by their title, even once deleted', async () => {
    const minutes = await uploadDocument(t, staff.national_team, programmeId, 'other', {
      title: 'Steering committee minutes',
    });
    expect(
      (await client(t, staff.itu_pm)('DELETE', `/api/v1/documents/${minutes.id}`)).statusCode,
    ).toBe(204);
    const page = await signIn(staff.admin);
    await page.goto(`/app/audit?entityType=document&entityId=${minutes.id}`);
    const rows = page.locator('tr[data-event]');
    expect(await rows.count()).toBe(2);
    const texts = await rows.allTextContents();
    expect(texts[0]).toContain('Document deleted');
    expect(texts[1]).toContain('Document uploaded');
    for (const text of texts) expect(text).toContain('Steering committee minutes');
    await page.close();
  });

  it('should let the ITU delete a document from the workspace, once asked to confirm', async () => {
    const design = (await documentsOf()).find(
      (document: { kind: string }) => document.kind === 'design_document',
    );
    const page = await signIn(staff.itu_pm);
    await page.goto('/app/countries/KE');
    const entry = section(page).locator(`[data-document="${design.id}"]`);
    await entry.locator('details.remove > summary').click();
    const [response] = await Promise.all([
      page.waitForResponse((answer) => answer.request().method() === 'POST'),
      entry.getByRole('button', { name: /Yes, delete it/ }).click(),
    ]);
    expect(response.status()).toBe(303);
    await page.waitForLoadState('load');
    expect(await page.getByText('The document and all its versions are deleted.').count()).toBe(1);
    expect(await section(page).locator(`[data-document="${design.id}"]`).count()).toBe(0);
    expect(
      (await documentsOf()).some((document: { id: string }) => document.id === design.id),
    ).toBe(false);
    // A national team is offered no delete.
    const team = await signIn(staff.national_team);
    await team.goto('/app/countries/KE');
    expect(await section(team).locator('details.remove').count()).toBe(0);
    await team.close();
    await page.close();
  });
});
