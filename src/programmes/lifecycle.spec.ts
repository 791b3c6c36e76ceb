import { DomainError } from '../common/domain-error.js';
import { type MoveRequest, planMove } from './lifecycle.js';

const move = (overrides: Partial<MoveRequest>): MoveRequest => ({
  from: 'planning',
  to: 'implementation',
  status: 'active',
  role: 'national_team',
  ...overrides,
});

const code = (request: MoveRequest) => {
  try {
    planMove(request);
    return 'allowed';
  } catch (error) {
    return (error as DomainError).code;
  }
};

const refusal = (request: MoveRequest) => {
  try {
    planMove(request);
    return 'allowed';
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return [error.status, error.code];
  }
};

describe(planMove.name, () => {
  it('should move forward one phase at a time', () => {
    expect(planMove(move({}))).toBe('forward');
    expect(planMove(move({ from: 'readiness_assessment', to: 'planning' }))).toBe('forward');
    expect(planMove(move({ from: 'operation', to: 'maintenance' }))).toBe('forward');
    expect(code(move({ from: 'readiness_assessment', to: 'implementation' }))).toBe('skips_phases');
  });

  it('should refuse a move to the same phase and any forward move from maintenance', () => {
    expect(code(move({ from: 'planning', to: 'planning' }))).toBe('same_phase');
    expect(code(move({ from: 'maintenance', to: 'maintenance' }))).toBe('same_phase');
  });

  it('should let only an ITU project manager or an administrator move back, with a reason', () => {
    expect(
      planMove(move({ from: 'operation', to: 'planning', role: 'itu_pm', note: 'Design redone' })),
    ).toBe('backward');
    expect(
      planMove(
        move({ from: 'maintenance', to: 'readiness_assessment', role: 'admin', note: 'Restart' }),
      ),
    ).toBe('backward');
    expect(
      refusal(move({ from: 'operation', to: 'planning', role: 'national_team', note: 'x' })),
    ).toEqual([403, 'backward_move_not_allowed']);
    expect(
      refusal(move({ from: 'operation', to: 'planning', role: 'regional_coordinator', note: 'x' })),
    ).toEqual([403, 'backward_move_not_allowed']);
    expect(
      refusal(move({ from: 'operation', to: 'planning', role: 'itu_pm', note: '  ' })),
    ).toEqual([400, 'validation_failed']);
  });

  it('should not move a cancelled programme, nor one on hold forward', () => {
    expect(code(move({ status: 'cancelled' }))).toBe('programme_cancelled');
    expect(
      code(
        move({ status: 'cancelled', from: 'operation', to: 'planning', role: 'admin', note: 'x' }),
      ),
    ).toBe('programme_cancelled');
    expect(code(move({ status: 'on_hold' }))).toBe('programme_on_hold');
    expect(
      code(
        move({ status: 'on_hold', from: 'operation', to: 'planning', role: 'admin', note: 'x' }),
      ),
    ).toBe('allowed');
  });
});
