import type { Role } from '../auth/roles.js';
import { DomainError, ForbiddenError, ValidationFailedError } from '../common/domain-error.js';
import { PHASES, type Phase, type ProgrammeStatus } from './programme.constants.js';

export type Direction = 'forward' | 'backward';

export interface MoveRequest {
  from: Phase;
  to: Phase;
  status: ProgrammeStatus;
  role: Role;
  note?: string;
}

/** Who may send a programme back to an earlier phase (DOMAIN.md §1 "Gates"). */
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
    throw new DomainError(
      422,
      'programme_cancelled',
      'A cancelled programme does not change phase',
    );
  }
  if (to === from)
    throw new DomainError(422, 'same_phase', `The programme is already in ${move.from}`);

  if (to < from) {
    if (!MAY_MOVE_BACK.includes(move.role)) {
      throw new ForbiddenError(
        'backward_move_not_allowed',
        'Only an ITU project manager or an administrator may move a programme back',
      );
    }
    if (!move.note?.trim())
      throw ValidationFailedError.of('note', 'a move back needs a note giving the reason');
    return 'backward';
  }
  if (move.status === 'on_hold') {
    throw new DomainError(
      422,
      'programme_on_hold',
      'A programme on hold does not move forward: resume it first',
    );
  }
  if (from === PHASES.length - 1)
    throw new DomainError(422, 'last_phase', 'maintenance is the last phase');
  if (to !== from + 1) {
    throw new DomainError(
      422,
      'skips_phases',
      `Forward moves go one phase at a time: after ${move.from} comes ${PHASES[from + 1]}`,
    );
  }
  return 'forward';
}
