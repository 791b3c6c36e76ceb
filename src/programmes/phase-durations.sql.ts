import { countryDateSql } from '../common/country-calendar.sql.js';

/**
 * "Phase duration" (docs/domain.md §7), once, for the lifecycle KPIs and the projected operation
 * date: one row per phase a programme has left (an approved transition), with the days it spent
 * there in its country's calendar and the country's date it left on. A phase the programme is
 * still in is not a row: medians count only completed phases. Cancelled programmes are left out,
 * as they are from every portfolio figure.
 *
 * `where` is a further condition on the programme `p` and its country `c`. Columns: programme_id,
 * country_code, region_code, timezone, phase, entered_on, left_on, days.
 */
export const completedPhasesSql = (where = 'true') => `
  SELECT t.programme_id, p.country_code, c.region_code, c.timezone, t.from_phase AS phase,
         ${countryDateSql('t.from_phase_entered_at', 'c.timezone')} AS entered_on,
         ${countryDateSql('t.decided_at', 'c.timezone')} AS left_on,
         ${countryDateSql('t.decided_at', 'c.timezone')} - ${countryDateSql('t.from_phase_entered_at', 'c.timezone')} AS days
  FROM phase_transitions t
  JOIN programmes p ON p.id = t.programme_id
  JOIN countries c ON c.code = p.country_code
  WHERE t.status = 'approved' AND t.from_phase_entered_at IS NOT NULL AND p.status <> 'cancelled' AND ${where}`;

/**
 * "Time to establishment": per programme that has reached `operation`, the country's date it
 * first entered `readiness_assessment` and the date it first entered `operation`. Columns:
 * programme_id, region_code, established_on, days (null when the programme began past readiness).
 * `where` as above.
 */
export const establishmentSql = (where = 'true') => `
  SELECT t.programme_id, c.region_code,
         min(${countryDateSql('t.decided_at', 'c.timezone')}) FILTER (WHERE t.to_phase = 'operation') AS established_on,
         min(${countryDateSql('t.decided_at', 'c.timezone')}) FILTER (WHERE t.to_phase = 'operation')
           - min(${countryDateSql('t.from_phase_entered_at', 'c.timezone')}) FILTER (WHERE t.from_phase = 'readiness_assessment') AS days
  FROM phase_transitions t
  JOIN programmes p ON p.id = t.programme_id
  JOIN countries c ON c.code = p.country_code
  WHERE t.status = 'approved' AND p.status <> 'cancelled' AND ${where}
  GROUP BY t.programme_id, c.region_code
  HAVING bool_or(t.to_phase = 'operation')`;
