import { addDays, isCalendarDate, localDate } from './dates.js';

describe('dates', () => {
  it('should tell real calendar dates from impossible ones', () => {
    expect(isCalendarDate('2028-02-29')).toBe(true);
    expect(isCalendarDate('2026-02-29')).toBe(false);
    expect(isCalendarDate('2026-02-30')).toBe(false);
    expect(isCalendarDate('2026-13-01')).toBe(false);
    expect(isCalendarDate('2026-1-01')).toBe(false);
    expect(isCalendarDate('2026-01-01T00:00:00Z')).toBe(false);
    expect(isCalendarDate(20260101)).toBe(false);
  });

  it('should give the local date of an instant in a time zone', () => {
    const instant = new Date('2026-11-22T22:30:00Z');
    expect(localDate(instant, 'Africa/Nairobi')).toBe('2026-11-23');
    expect(localDate(instant, 'America/New_York')).toBe('2026-11-22');
  });

  it('should add days across month and year ends', () => {
    expect(addDays('2026-12-20', 14)).toBe('2027-01-03');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });
});
