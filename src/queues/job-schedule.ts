import type { Logger } from '@nestjs/common';

/**
 * Registers recurring jobs, and keeps trying every 5 s while Redis is away, so that a worker that
 * starts before Redis still gets its schedule.
 */
export function scheduleWhenRedisAnswers(
  logger: Logger,
  what: string,
  register: () => Promise<unknown>,
): void {
  register().catch((error: Error) => {
    logger.warn(`Could not schedule ${what} yet: ${error.message}`);
    setTimeout(() => scheduleWhenRedisAnswers(logger, what, register), 5_000).unref();
  });
}
