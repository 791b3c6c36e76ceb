import { type PhaseMedians, projectedOperationDate } from './operation-projection.js';

const medians: PhaseMedians = {
  global: {
    readiness_assessment: { medianDays: 100, counted: 40 },
    planning: { medianDays: 60, counted: 30 },
    implementation: { medianDays: 200, counted: 20 },
  },
  byRegion: {
    AFR: {
      readiness_assessment: { medianDays: 50, counted: 5 },
      planning: { medianDays: 10, counted: 4 },
    },
  },
};

const programme = (phase: string, daysInPhase: number, regionCode = 'AFR', status = 'active') =>
  ({ phase, daysInPhase, regionCode, status }) as Parameters<typeof projectedOperationDate>[0];

describe('projectedOperationDate', () => {
  it('adds the medians ahead: the region’s from five completed phases, else the global one', () => {
    // AFR readiness (5 counted) 50 - 20, then the global planning (AFR has 4) and implementation.
    expect(
      projectedOperationDate(programme('readiness_assessment', 20), '2026-01-01', medians),
    ).toBe('2026-10-18');
    expect(
      projectedOperationDate(programme('readiness_assessment', 20, 'EUR'), '2026-01-01', medians),
    ).toBe('2026-12-07');
  });

  it('counts a phase overrun as nothing left of it, never as time given back', () => {
    expect(projectedOperationDate(programme('implementation', 250), '2026-01-01', medians)).toBe(
      '2026-01-01',
    );
    expect(projectedOperationDate(programme('planning', 90), '2026-01-01', medians)).toBe(
      '2026-07-20',
    );
  });

  it('is null once in operation, when cancelled, and while a phase ahead has never been completed', () => {
    expect(projectedOperationDate(programme('operation', 1), '2026-01-01', medians)).toBeNull();
    expect(projectedOperationDate(programme('maintenance', 1), '2026-01-01', medians)).toBeNull();
    expect(
      projectedOperationDate(programme('planning', 1, 'AFR', 'cancelled'), '2026-01-01', medians),
    ).toBeNull();
    const noImplementation = {
      ...medians,
      global: { ...medians.global, implementation: undefined },
    };
    expect(
      projectedOperationDate(programme('planning', 1), '2026-01-01', noImplementation),
    ).toBeNull();
  });
});
