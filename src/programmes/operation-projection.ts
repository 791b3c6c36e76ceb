import { addDays } from '../common/dates.js';
import {
  PHASES,
  PHASES_BEFORE_OPERATION,
  type Phase,
  type ProgrammeStatus,
} from './programme.constants.js';

/** Below this many completed phases a region's median is noise: the global one is used. */
export const MIN_REGIONAL_COMPLETED_PHASES = 5;

/** A phase's median duration in days and how many completed phases it was taken over. */
export interface PhaseMedian {
  medianDays: number;
  counted: number;
}

export interface PhaseMedians {
  global: Partial<Record<Phase, PhaseMedian>>;
  byRegion: Record<string, Partial<Record<Phase, PhaseMedian>>>;
}

/**
 * "Projected operation date" (docs/domain.md §7): the country's today plus the median of each
 * phase still ahead of `operation`, the current one counted as its median less the days already
 * spent (never below zero). Each phase's median is the region's, or the global one where the
 * region has fewer than MIN_REGIONAL_COMPLETED_PHASES of it. Null once in operation, for a
 * cancelled programme, and while some phase ahead has no completed example to measure.
 */
export function projectedOperationDate(
  programme: { phase: Phase; status: ProgrammeStatus; regionCode: string; daysInPhase: number },
  today: string,
  medians: PhaseMedians,
): string | null {
  const current = PHASES.indexOf(programme.phase);
  if (current >= PHASES_BEFORE_OPERATION.length || programme.status === 'cancelled') return null;
  const regional = medians.byRegion[programme.regionCode] ?? {};
  let days = 0;
  for (const phase of PHASES_BEFORE_OPERATION.slice(current)) {
    const region = regional[phase];
    const median =
      region && region.counted >= MIN_REGIONAL_COMPLETED_PHASES ? region : medians.global[phase];
    if (!median) return null;
    days +=
      phase === programme.phase
        ? Math.max(0, median.medianDays - programme.daysInPhase)
        : median.medianDays;
  }
  return addDays(today, Math.round(days));
}
