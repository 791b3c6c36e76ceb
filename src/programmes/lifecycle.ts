import type { Role } from '../auth/roles.js';
import { DomainError, invalidField } from '../common/domain-error.js';
import { ProgrammeErrors, ProgrammeFieldErrors } from './programme.errors.js';
import { PHASES, type Phase, type ProgrammeStatus } from './programme.constants.js';

export type Direction = 'forward' | 'backward';

export interface MoveRequest {
  from: Phase;
  to: Phase;
  status: ProgrammeStatus;
  role: Role;
  note?: string;
}

/** Who may send a programme back to an earlier phase (docs/domain.md §1 "Gates"). */
const MAY_MOVE_BACK: readonly Role[] = ['itu_pm', 'admin'];

/**
 * The lifecycle rules, without I/O: forward one phase at a time through a gate; backward to any
 * earlier phase only for ITU project managers and administrators, with a reason, at once; no
 * move from a cancelled programme, no forward move while on hold; maintenance is last.
 */
export function planMove(move: MoveRequest): Direction {
  const from = PHASES.indexOf(move.from);
  const to = PHASES.indexOf(move.to);
  if (move.status === 'cancelled') {
    throw new DomainError(ProgrammeErrors.programme_cancelled_no_phase_change);
  }
  if (to === from) throw new DomainError(ProgrammeErrors.same_phase, { phase: move.from });

  if (to < from) {
    if (!MAY_MOVE_BACK.includes(move.role)) {
      throw new DomainError(ProgrammeErrors.backward_move_not_allowed);
    }
    if (!move.note?.trim())
      throw invalidField('note', ProgrammeFieldErrors.backward_move_needs_note);
    return 'backward';
  }
  if (move.status === 'on_hold') {
    throw new DomainError(ProgrammeErrors.programme_on_hold);
  }
  if (from === PHASES.length - 1) throw new DomainError(ProgrammeErrors.last_phase);
  if (to !== from + 1) {
    throw new DomainError(ProgrammeErrors.skips_phases, {
      from: move.from,
      next: PHASES[from + 1],
    });
  }
  return 'forward';
}
