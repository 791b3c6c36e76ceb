import { nextWorkingTime, parseWorkingHours } from './working-hours.js';

describe(nextWorkingTime.name, () => {
  const weekdays = parseWorkingHours('Mon-Fri 09:00-17:00');

  it('should keep an instant inside the working hours', () => {
    // Tuesday 2026-11-24 10:30 in Nairobi (UTC+3) = 07:30Z
    expect(
      nextWorkingTime(new Date('2026-11-24T07:30:00Z'), 'Africa/Nairobi', weekdays).toISOString(),
    ).toBe('2026-11-24T07:30:00.000Z');
  });

  it('should move an early-morning instant to 09:00 the same day, in the recipient zone', () => {
    // 05:00 in Nairobi -> 09:00 Nairobi = 06:00Z
    expect(
      nextWorkingTime(new Date('2026-11-24T02:00:00Z'), 'Africa/Nairobi', weekdays).toISOString(),
    ).toBe('2026-11-24T06:00:00.000Z');
    // the same instant is 21:00 the evening before in New York -> Tuesday 09:00 New York = 14:00Z
    expect(
      nextWorkingTime(new Date('2026-11-24T02:00:00Z'), 'America/New_York', weekdays).toISOString(),
    ).toBe('2026-11-24T14:00:00.000Z');
  });

  it('should move a Friday evening to Monday morning', () => {
    // Friday 2026-11-27 18:00 Paris (UTC+1) -> Monday 2026-11-30 09:00 Paris = 08:00Z
    expect(
      nextWorkingTime(new Date('2026-11-27T17:00:00Z'), 'Europe/Paris', weekdays).toISOString(),
    ).toBe('2026-11-30T08:00:00.000Z');
  });

  it('should send at once when the hours are "always"', () => {
    const instant = new Date('2026-11-28T23:59:00Z');
    expect(nextWorkingTime(instant, 'Asia/Tokyo', parseWorkingHours('always'))).toBe(instant);
  });

  it('should refuse working hours it cannot read', () => {
    expect(() => parseWorkingHours('weekdays')).toThrow(/not like/);
    expect(() => parseWorkingHours('Mon-Fri 17:00-09:00')).toThrow(/end after/);
    expect(parseWorkingHours('Sat 10:00-12:00')!.days).toEqual(new Set([6]));
  });
});
