import { type Job, UnrecoverableError } from 'bullmq';

/** SQLSTATE classes and codes of errors that another attempt may not meet. */
const TRANSIENT_SQLSTATE = /^(?:(?:08|40|53)[0-9A-Z]{3}|57P0[1-3]|55P03|57014)$/;
/** Node's errors of a connection that failed, dropped or timed out. */
const TRANSIENT_NETWORK = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

/**
 * Whether a job's error is worth another attempt: PostgreSQL or Redis away or busy (a connection
 * refused, dropped or timed out, a server shutting down, too many connections), or a transaction
 * that lost a race (serialization failure, deadlock, lock timeout). Anything else, a bug or data
 * the job cannot handle, would fail the same way again.
 */
export function isTransientError(error: unknown): boolean {
  for (let cause = error, depth = 0; cause instanceof Error && depth < 5; depth += 1) {
    const { code, driverError } = cause as Error & { code?: unknown; driverError?: unknown };
    if (typeof code === 'string' && (TRANSIENT_SQLSTATE.test(code) || TRANSIENT_NETWORK.has(code)))
      return true;
    // node-postgres and ioredis name a lost connection in the message only.
    if (
      /Connection terminated|Connection is closed|timeout exceeded when trying to connect/i.test(
        cause.message,
      )
    )
      return true;
    cause = driverError ?? cause.cause;
  }
  return false;
}

/** Whether this attempt of the job is its last: failing now leaves no retry. */
export function isLastAttempt(job: Job): boolean {
  return job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
}

/**
 * For a job name the processor does not know (a job left in Redis by an older version, say):
 * failing it for good beats retrying what will never run.
 */
export function unknownJob(name: never): never {
  throw new UnrecoverableError(`No handler for the job "${String(name)}"`);
}
