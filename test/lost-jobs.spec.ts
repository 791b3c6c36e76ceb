import { randomBytes } from 'node:crypto';
import { Queue, UnrecoverableError, Worker } from 'bullmq';
import { lostJobs } from '../src/queues/lost-jobs.js';
import { deleteRedisKeys } from './support/redis-keys.js';
import { testConfig } from './support/test-database.js';
import { waitFor } from './support/wait.js';

describe(lostJobs.name, () => {
  const REDIS_URL = testConfig().REDIS_URL!;
  const prefix = `t-lost-${randomBytes(6).toString('hex')}`;
  const connection = { url: REDIS_URL };
  let queue: Queue;
  let worker: Worker;

  beforeAll(async () => {
    queue = new Queue('lost', { connection, prefix });
    worker = new Worker(
      'lost',
      async (job) => {
        if (job.name === 'fail') throw new UnrecoverableError('fails for good');
      },
      { connection, prefix, autorun: false },
    );
    await queue.waitUntilReady();
  });
  afterAll(async () => {
    await worker.close();
    await queue.close();
    await deleteRedisKeys(REDIS_URL, prefix);
  });

  it('should tell the ids Redis no longer holds, and with `finished` the ended ones, freeing their ids', async () => {
    const keep = { removeOnComplete: false, removeOnFail: false };
    await queue.add('pass', {}, { jobId: 'job-completed', ...keep });
    await queue.add('fail', {}, { jobId: 'job-failed', ...keep });
    void worker.run();
    await waitFor(
      'the jobs to end',
      async () =>
        (await queue.getJobState('job-completed')) === 'completed' &&
        (await queue.getJobState('job-failed')) === 'failed',
    );
    await worker.pause();
    await queue.add('pass', {}, { jobId: 'job-waiting' });
    await queue.add('pass', {}, { jobId: 'job-delayed', delay: 60_000 });
    await queue.add('pass', {}, { jobId: 'job-removed' });
    expect(await queue.remove('job-removed')).toBe(1);

    // Not 'completed' and so on: a job's key is its id under the queue's, beside the queue's lists.
    const ids = ['waiting', 'never-added', 'completed', 'delayed', 'failed', 'removed'].map(
      (state) => `job-${state}`,
    );
    expect(await lostJobs(queue, ids)).toEqual(['job-never-added', 'job-removed']);
    // Without `finished`, nothing is removed.
    expect(await queue.getJobState('job-completed')).toBe('completed');
    expect(await queue.getJobState('job-failed')).toBe('failed');

    expect(await lostJobs(queue, ids, { finished: true })).toEqual([
      'job-never-added',
      'job-completed',
      'job-failed',
      'job-removed',
    ]);
    // The ended jobs are gone, so that a relay adds their ids again; the others stay as they were.
    for (const id of ['job-completed', 'job-failed']) {
      expect(await queue.getJobState(id)).toBe('unknown');
      await queue.add('pass', {}, { jobId: id });
      expect(await queue.getJobState(id)).toBe('waiting');
    }
    expect(await queue.getJobState('job-waiting')).toBe('waiting');
    expect(await queue.getJobState('job-delayed')).toBe('delayed');
    expect(await lostJobs(queue, [])).toEqual([]);
  });

  it('should check ids past one round of checks, keeping their order', async () => {
    const ids = Array.from({ length: 250 }, (_, i) => `many-${i}`);
    const held = ids.filter((_, i) => i % 7 === 0);
    await queue.addBulk(held.map((id) => ({ name: 'pass', data: {}, opts: { jobId: id } })));
    expect(await lostJobs(queue, ids)).toEqual(ids.filter((id) => !held.includes(id)));
  });
});
