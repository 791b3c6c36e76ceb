import { CommonErrors } from './common.errors.js';
import { DomainError } from './domain-error.js';

/** Optimistic locking: a write must carry the version it read. */
export function assertVersion(current: number, given: number, what: string): void {
  if (current !== given) {
    throw new DomainError(CommonErrors.version_conflict, { what, given, current });
  }
}
