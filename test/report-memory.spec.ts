import { ReportCompiler } from '../src/reports/report-compiler.service.js';
import { createUser } from './factories/users.js';
import { generatePortfolio } from './support/synthetic-portfolio.js';
import { type TestApp, startTestApp } from './support/test-app.js';

const PROGRAMMES = 2_000;
const LIMIT_MB = 150;

describe('report compile on a large portfolio', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
    const admin = await createUser(t.dataSource, { role: 'admin' });
    await generatePortfolio(t.dataSource, admin.id, { programmes: PROGRAMMES });
  }, 120_000);
  afterAll(() => t.close());

  it(`should compile ${PROGRAMMES} programmes in every format with peak memory growth under ${LIMIT_MB} MB`, async () => {
    const [{ id }] = await t.dataSource.query(
      `INSERT INTO reports (scope, scope_key, formats) VALUES ('{}', 'global', '{json,csv,xlsx,pdf}') RETURNING id`,
    );
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 5);
    const started = performance.now();
    try {
      await t.app.get(ReportCompiler).compile(id);
    } finally {
      clearInterval(sampler);
    }
    peak = Math.max(peak, process.memoryUsage().rss);
    const seconds = (performance.now() - started) / 1000;
    const growthMb = (peak - baseline) / 2 ** 20;
    console.log(
      `report compile, ${PROGRAMMES} programmes, json+csv+xlsx+pdf: ${seconds.toFixed(1)} s, ` +
        `peak RSS growth ${growthMb.toFixed(1)} MB (baseline ${(baseline / 2 ** 20).toFixed(0)} MB)`,
    );

    const [report] = await t.dataSource.query(
      `SELECT status, error, summary, (SELECT array_agg(format ORDER BY format) FROM report_files WHERE report_id = r.id) AS formats
       FROM reports r WHERE id = $1`,
      [id],
    );
    expect(report).toMatchObject({
      status: 'completed',
      error: null,
      summary: { programmes: PROGRAMMES },
      formats: ['csv', 'json', 'pdf', 'xlsx'],
    });
    expect(growthMb).toBeLessThan(LIMIT_MB);
  }, 120_000);
});
