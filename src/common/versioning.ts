import { ConflictError } from './domain-error.js';

/** Optimistic locking: a write must carry the version it read. */
export function assertVersion(current: number, given: number, what: string): void {
  if (current !== given) {
    throw new ConflictError(
      'version_conflict',
      `${what} has changed since version ${given} (now ${current}): read it again`,
    );
  }
}
