import type { DataSource } from 'typeorm';

const PHASES = ['readiness_assessment', 'planning', 'implementation', 'operation', 'maintenance'];
const DAY = 86_400_000;

/** A programme's phase history, in days before `now`. */
export interface PhaseHistory {
  country: string;
  /** Days spent in each phase left, in order from readiness. */
  left: number[];
  /** Days in the current phase, the one after the last left. */
  current: number;
  status?: 'active' | 'cancelled';
  /** A move back: the phase it went back to instead of the next one. */
  backTo?: string;
  /** Days since the last status update; none means since the programme began. */
  updatedDaysAgo?: number;
}

/**
 * A programme whose phase history is known to the day, written as the transitions service writes
 * it: each phase left is an approved transition dated when it was left, with the time it was
 * entered. Dates are whole days before `now`, at its hour: the same calendar day in every zone
 * the tests use when `now` is at noon UTC.
 */
export async function insertPhaseHistory(
  dataSource: DataSource,
  authorId: string,
  now: string,
  history: PhaseHistory,
): Promise<string> {
  const daysAgo = (days: number) => new Date(Date.parse(now) - days * DAY);
  const total = history.left.reduce((sum, days) => sum + days, 0) + history.current;
  const phase = history.backTo ?? PHASES[history.left.length];
  const [programme] = await dataSource.query(
    `INSERT INTO programmes (country_code, cirt_type, title, phase, phase_entered_at, status, health,
                             health_updated_at, start_date, created_at, hold_reason)
     VALUES ($1, 'national', $7, $2, $3, $4, 'on_track', $5, $6::timestamptz::date, $6, NULL)
     RETURNING id`,
    [
      history.country,
      phase,
      daysAgo(history.current),
      history.status ?? 'active',
      history.updatedDaysAgo === undefined ? null : daysAgo(history.updatedDaysAgo),
      daysAgo(total),
      `${history.country} national CIRT`,
    ],
  );
  let entered = total;
  for (const [index, days] of history.left.entries()) {
    const last = index === history.left.length - 1;
    const backward = last && history.backTo !== undefined;
    await dataSource.query(
      `INSERT INTO phase_transitions (programme_id, from_phase, to_phase, direction, status, requested_by,
                                      requested_at, decided_by, decided_at, from_phase_entered_at)
       VALUES ($1, $2, $3, $4, 'approved', $5, $6, $5, $6, $7)`,
      [
        programme.id,
        PHASES[index],
        backward ? history.backTo : PHASES[index + 1],
        backward ? 'backward' : 'forward',
        authorId,
        daysAgo(entered - days),
        daysAgo(entered),
      ],
    );
    entered -= days;
  }
  return programme.id as string;
}
