import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { QueueName, ReportJob } from '../src/queues/queue-names.js';
import { ReportOutbox } from '../src/reports/report-outbox.service.js';
import { ReportsProcessor } from '../src/reports/reports.processor.js';
import { ReportsRepository } from '../src/reports/reports.repository.js';
import { type TestUser, createUser } from './factories/users.js';
import { type TestApp, client, controlClock, startTestApp } from './support/test-app.js';
import { waitFor } from './support/wait.js';

/**
 * Reports follow the outbox of notifications: a report's compile job is added once (by the
 * request, or by the relay tick for a row that missed it), and the reconcile tick puts back
 * the queued or running reports whose job Redis no longer holds.
 */
describe('the reports outbox', () => {
  let t: TestApp;
  let queue: Queue;
  let pm: TestUser;
  let clock: { current: Date };

  beforeAll(async () => {
    t = await startTestApp({ env: { PROCESS_ROLE: 'all' } });
    queue = t.app.get(getQueueToken(QueueName.Reports));
    pm = await createUser(t.dataSource, { role: 'itu_pm' });
  });
  afterAll(() => t.close());

  beforeEach(() => {
    clock = controlClock(t, new Date().toISOString());
  });

  /** The reports worker: paused, the jobs stay in the queue as they are (and so do the ticks'). */
  const worker = () => t.app.get(ReportsProcessor).worker;
  afterEach(() => worker().resume());

  const request = async (countryCode: string) => {
    const requested = await client(t, pm)('POST', '/api/v1/reports', {
      scope: { countryCodes: [countryCode] },
      formats: ['json'],
    });
    expect(requested.statusCode).toBe(202);
    return requested.json().id as string;
  };

  const row = async (id: string) =>
    (
      await t.dataSource.query(
        `SELECT status, progress, started_at AS "startedAt", queued_at AS "queuedAt", error
         FROM reports WHERE id = $1`,
        [id],
      )
    )[0];

  /** What a worker leaves of a report it was compiling when Redis lost the job. */
  async function runningWithJobLost(id: string) {
    await t.dataSource.query(
      `UPDATE reports SET status = 'running', progress = 40, started_at = $2 WHERE id = $1`,
      [id, clock.current],
    );
    expect(await queue.remove(id)).toBe(1);
    expect(await queue.getJobState(id)).toBe('unknown');
  }

  const completed = (id: string) =>
    waitFor(
      `report ${id} to complete`,
      async () => {
        const current = await row(id);
        return current.status === 'completed' || current.status === 'failed' ? current : undefined;
      },
      30_000,
    );

  /** How often the queue was asked to add a job of this id: its events, by name. */
  async function addEvents(jobId: string): Promise<Record<string, number>> {
    const redis = new Redis(t.config.REDIS_URL!);
    const entries = await redis.xrange(queue.keys.events, '-', '+').finally(() => redis.quit());
    const counts: Record<string, number> = {};
    for (const [, fields] of entries) {
      const event = Object.fromEntries(
        Array.from({ length: fields.length / 2 }, (_, i) => [fields[2 * i], fields[2 * i + 1]]),
      );
      if (event.jobId === jobId && (event.event === 'added' || event.event === 'duplicated'))
        counts[event.event] = (counts[event.event] ?? 0) + 1;
    }
    return counts;
  }

  it('should queue a report once, by its request or by the relay tick, however many ticks follow', async () => {
    await worker().pause();
    const asked = await request('KE');
    expect(await queue.getJobState(asked)).toBe('waiting');
    expect((await row(asked)).queuedAt).toEqual(clock.current);

    // The row a request leaves when Redis refused its job: queued, without a job.
    const [{ id: missed }] = await t.dataSource.query(
      `INSERT INTO reports (requested_by, scope, scope_key, formats)
       VALUES ($1, '{"countryCodes": ["GH"]}', 'countries:GH', '{json}') RETURNING id`,
      [pm.id],
    );
    const outbox = t.app.get(ReportOutbox);
    const moved: number[] = [];
    for (let tick = 0; tick < 3; tick += 1) moved.push(await outbox.relay());
    expect(moved).toEqual([1, 0, 0]);
    expect(await queue.getJobState(missed)).toBe('waiting');
    expect((await row(missed)).queuedAt).toEqual(clock.current);
    expect(await addEvents(asked)).toEqual({ added: 1 });
    expect(await addEvents(missed)).toEqual({ added: 1 });

    // Their jobs are in the queue: the reconciler leaves them be, however long they wait.
    clock.current = new Date(clock.current.getTime() + 10 * 60_000);
    expect(await outbox.reconcile()).toBe(0);

    await worker().resume();
    for (const id of [asked, missed]) {
      expect(await completed(id)).toMatchObject({
        status: 'completed',
        progress: 100,
        error: null,
      });
    }
    expect(await addEvents(asked)).toEqual({ added: 1 });
    expect(await addEvents(missed)).toEqual({ added: 1 });
  }, 60_000);

  it('should put a running report whose job Redis lost back to queued after a minute, and complete it', async () => {
    await worker().pause();
    const id = await request('NG');
    await runningWithJobLost(id);
    const outbox = t.app.get(ReportOutbox);

    // Within the minute after its job was added, the reconciler does not look.
    clock.current = new Date(clock.current.getTime() + 30_000);
    expect(await outbox.reconcile()).toBe(0);
    expect(await row(id)).toMatchObject({ status: 'running', progress: 40 });

    clock.current = new Date(clock.current.getTime() + 60_000);
    expect(await outbox.reconcile()).toBe(1);
    // As it was asked for, and queued again at once: a new job, the row stamped with it.
    expect(await row(id)).toMatchObject({
      status: 'queued',
      progress: 0,
      startedAt: null,
      queuedAt: clock.current,
    });
    expect(await queue.getJobState(id)).toBe('waiting');
    expect(await outbox.reconcile()).toBe(0);

    await worker().resume();
    expect(await completed(id)).toMatchObject({ status: 'completed', progress: 100, error: null });
  }, 60_000);

  it('should look after a running report whose stamp was never written (the database away after its job was added)', async () => {
    await worker().pause();
    // What the request leaves when the job went in but the stamp did not.
    const [{ id }] = await t.dataSource.query(
      `INSERT INTO reports (requested_by, scope, scope_key, formats)
       VALUES ($1, '{"countryCodes": ["RW"]}', 'countries:RW', '{json}') RETURNING id`,
      [pm.id],
    );
    // A worker starts compiling it (the compile's first step), then Redis loses the job.
    expect(await t.app.get(ReportsRepository).startCompiling(id, clock.current)).toBeDefined();
    expect(await row(id)).toMatchObject({ status: 'running', queuedAt: clock.current });

    clock.current = new Date(clock.current.getTime() + 2 * 60_000);
    expect(await t.app.get(ReportOutbox).reconcile()).toBe(1);
    await worker().resume();
    expect(await completed(id)).toMatchObject({ status: 'completed', progress: 100, error: null });
  }, 60_000);

  it('should run the reconcile tick every minute on the reports queue, through its worker', async () => {
    const reconcile = (await queue.getJobSchedulers(0, -1)).find(
      (scheduler) => scheduler.key === ReportJob.Reconcile,
    );
    expect(reconcile?.every).toBe(60_000);

    await worker().pause();
    const id = await request('SN');
    await runningWithJobLost(id);
    clock.current = new Date(clock.current.getTime() + 2 * 60_000);
    await worker().resume();

    const tick = await queue.add(ReportJob.Reconcile, {}, { removeOnComplete: false });
    await waitFor('the reconcile tick to run', async () =>
      ['completed', 'failed'].includes(await tick.getState()),
    );
    expect(await tick.getState()).toBe('completed');
    expect(await completed(id)).toMatchObject({ status: 'completed', progress: 100, error: null });
  }, 60_000);
});
