import type { JobState } from 'bullmq';

/** What lostJobs asks of a queue; a BullMQ Queue is one. */
export interface JobHolder {
  getJobState(jobId: string): Promise<JobState | 'unknown'>;
  remove(jobId: string): Promise<number>;
}

export interface LostJobsOptions {
  /**
   * Count a completed or failed job as lost too: for rows that are not finished themselves, such
   * a job will never move them on. It is removed, so that the relay can add the same id again
   * (BullMQ ignores an add whose job id it still holds, in whatever state).
   */
  finished?: boolean;
}

/** Job states checked at once: one round trip each, on the queue's one connection. */
const CHUNK = 100;

/**
 * Which of these job ids the queue no longer holds to run: those Redis does not know (lost
 * with a Redis that restarted without persistence, or removed by hand), and with `finished`
 * those that ended. For an outbox's reconciler: the rows of the ids answered go back to the
 * relay. The order of `jobIds` is kept.
 */
export async function lostJobs(
  queue: JobHolder,
  jobIds: readonly string[],
  options: LostJobsOptions = {},
): Promise<string[]> {
  const lost: string[] = [];
  for (let start = 0; start < jobIds.length; start += CHUNK) {
    const ids = jobIds.slice(start, start + CHUNK);
    const states = await Promise.all(ids.map((id) => queue.getJobState(id)));
    for (const [index, id] of ids.entries()) {
      const state = states[index];
      if (state === 'unknown') lost.push(id);
      else if (
        options.finished &&
        (state === 'completed' || state === 'failed') &&
        (await queue.remove(id)) === 1
      )
        lost.push(id);
    }
  }
  return lost;
}
