/** Working hours as REMINDER_WORKING_HOURS gives them: "Mon-Fri 09:00-17:00", or "always". */
export interface WorkingHours {
  days: Set<number>; // 0 = Sunday .. 6 = Saturday
  startMinute: number;
  endMinute: number;
}

const DAY_NAMES = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** Parses "Mon-Fri 09:00-17:00" (or "Sat 10:00-12:00"); null for "always". Throws on anything else. */
export function parseWorkingHours(spec: string): WorkingHours | null {
  if (spec.trim() === 'always') return null;
  const match =
    /^([A-Z][a-z]{2})(?:-([A-Z][a-z]{2}))? ([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-4]):([0-5]\d)$/.exec(
      spec.trim(),
    );
  const first = match ? DAY_NAMES.indexOf(match[1]) : -1;
  const last = match ? DAY_NAMES.indexOf(match[2] ?? match[1]) : -1;
  if (!match || first < 0 || last < 0)
    throw new Error(`"${spec}" is not like "Mon-Fri 09:00-17:00" or "always"`);
  const startMinute = Number(match[3]) * 60 + Number(match[4]);
  const endMinute = Number(match[5]) * 60 + Number(match[6]);
  if (endMinute <= startMinute) throw new Error(`"${spec}": the hours must end after they start`);
  const days = new Set<number>();
  for (let day = first; ; day = (day + 1) % 7) {
    days.add(day);
    if (day === last) break;
  }
  return { days, startMinute, endMinute };
}

/** One formatter per time zone: making one costs far more than formatting with it. */
const clockFormats = new Map<string, Intl.DateTimeFormat>();

function clockFormat(timeZone: string): Intl.DateTimeFormat {
  let format = clockFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    clockFormats.set(timeZone, format);
  }
  return format;
}

/** The weekday and minute of the day of an instant in a time zone. */
function localClock(instant: Date, timeZone: string): { day: number; minute: number } {
  const parts = clockFormat(timeZone).formatToParts(instant);
  const part = (type: string) => parts.find((p) => p.type === type)!.value;
  return {
    day: DAY_NAMES.indexOf(part('weekday')),
    minute: Number(part('hour')) * 60 + Number(part('minute')),
  };
}

/**
 * The first instant at or after `from` that falls inside the working hours in `timeZone`,
 * to the minute. Walks forward in steps that never jump over an opening, so daylight-saving
 * changes need no special case.
 */
export function nextWorkingTime(from: Date, timeZone: string, hours: WorkingHours | null): Date {
  if (!hours) return from;
  let candidate = new Date(Math.ceil(from.getTime() / 60_000) * 60_000);
  for (let step = 0; step < 8 * 24 * 4; step += 1) {
    const { day, minute } = localClock(candidate, timeZone);
    if (hours.days.has(day) && minute >= hours.startMinute && minute < hours.endMinute)
      return candidate;
    const untilStart =
      hours.days.has(day) && minute < hours.startMinute ? hours.startMinute - minute : 15;
    candidate = new Date(candidate.getTime() + Math.min(untilStart, 15) * 60_000);
    if (untilStart < 15) continue;
  }
  throw new Error(`No working time within a week in ${timeZone}`);
}
