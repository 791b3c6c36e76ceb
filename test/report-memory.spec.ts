import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import { type Staff, createStaff } from './factories/users.js';
import { generatePortfolio } from './support/synthetic-portfolio.js';
import { type TestApp, client, startTestApp } from './support/test-app.js';
import { waitFor } from './support/wait.js';

const PROGRAMMES = 2_000;
const LIMIT_MB = 150;

/** Resident set size (VmRSS) or its peak since the last reset (VmHWM) of a process, in MB. */
function memoryMb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)![1]) / 1024;
}

// The compile runs in a worker process of its own (the built service: `npm test` builds first),
// so its memory is measured apart from the test runner's.
describe('report compile on a large portfolio', () => {
  let t: TestApp;
  let staff: Staff;
  let worker: ChildProcess;

  beforeAll(async () => {
    t = await startTestApp();
    staff = await createStaff(t.dataSource);
    await generatePortfolio(t.dataSource, staff.admin.id, { programmes: PROGRAMMES });
    worker = spawn(process.execPath, ['dist/src/main.js'], {
      env: {
        ...process.env,
        PROCESS_ROLE: 'worker',
        DATABASE_URL: t.config.DATABASE_URL,
        // The test app's queues, on Redis: the worker must take the jobs it adds.
        REDIS_URL: t.config.REDIS_URL ?? '',
        QUEUE_PREFIX: t.config.QUEUE_PREFIX,
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    worker.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await waitFor('the worker to start', () => output.includes('Running workers only'), 30_000);
  }, 120_000);
  afterAll(async () => {
    if (worker.exitCode === null) {
      worker.kill('SIGTERM');
      await once(worker, 'exit');
    }
    await t.close();
  });

  it(`should compile ${PROGRAMMES} programmes in every format with peak memory growth under ${LIMIT_MB} MB`, async () => {
    await new Promise((resolve) => setTimeout(resolve, 1_000)); // let start-up settle
    const baseline = memoryMb(worker.pid!, 'VmRSS');
    writeFileSync(`/proc/${worker.pid}/clear_refs`, '5'); // restart the peak from here
    const started = performance.now();
    const requested = await client(t, staff.itu_pm)('POST', '/api/v1/reports', {
      scope: {},
      formats: ['json', 'csv', 'xlsx', 'pdf'],
    });
    const id = requested.json().id;
    const report = await waitFor(
      'the report to compile',
      async () => {
        const [row] = await t.dataSource.query(
          `SELECT status, error, summary,
                  (SELECT array_agg(format ORDER BY format) FROM report_files WHERE report_id = r.id) AS formats
           FROM reports r WHERE id = $1 AND status IN ('completed', 'failed')`,
          [id],
        );
        return row;
      },
      60_000,
    );
    const seconds = (performance.now() - started) / 1000;
    const growthMb = memoryMb(worker.pid!, 'VmHWM') - baseline;
    console.log(
      `report compile, ${PROGRAMMES} programmes, json+csv+xlsx+pdf: ${seconds.toFixed(1)} s, ` +
        `worker peak RSS growth ${growthMb.toFixed(1)} MB (RSS before ${baseline.toFixed(0)} MB)`,
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
