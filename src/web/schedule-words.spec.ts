import { CronExpressionParser } from 'cron-parser';
import { isCronPattern } from '../common/validators.js';
import { cronOf, scheduleMessage, wordsOf } from './schedule-words.js';

describe('schedule words', () => {
  describe(cronOf.name, () => {
    it.each([
      [{ frequency: 'weekly', weekday: '1', dayOfMonth: '1', hour: '7' }, '0 7 * * 1'],
      [{ frequency: 'weekly', weekday: '0', hour: '23' }, '0 23 * * 0'],
      [{ frequency: 'daily', weekday: '3', dayOfMonth: '15', hour: '0' }, '0 0 * * *'],
      [{ frequency: 'daily', hour: '07' }, '0 7 * * *'],
      [{ frequency: 'monthly', weekday: '1', dayOfMonth: '28', hour: '9' }, '0 9 28 * *'],
    ])('should turn %j into %s', (posted, cron) => {
      expect(cronOf(posted)).toBe(cron);
      expect(isCronPattern(cronOf(posted))).toBe(true);
    });

    it.each([
      ['no frequency', { hour: '7' }],
      ['an unknown frequency', { frequency: 'hourly', hour: '7' }],
      ['no hour', { frequency: 'daily' }],
      ['hour 24', { frequency: 'daily', hour: '24' }],
      ['a negative hour', { frequency: 'daily', hour: '-1' }],
      ['an hour that is not digits', { frequency: 'daily', hour: '7am' }],
      ['an hour given as a number', { frequency: 'daily', hour: 7 }],
      ['a weekly schedule without its day', { frequency: 'weekly', hour: '7' }],
      ['weekday 7', { frequency: 'weekly', weekday: '7', hour: '7' }],
      ['a monthly schedule without its day', { frequency: 'monthly', hour: '7' }],
      ['day 29 of the month', { frequency: 'monthly', dayOfMonth: '29', hour: '7' }],
      ['day 0 of the month', { frequency: 'monthly', dayOfMonth: '0', hour: '7' }],
      // The form always posts every field: a wrong one is refused even where it is not used.
      ['a wrong weekday on a daily schedule', { frequency: 'daily', weekday: 'x', hour: '7' }],
      [
        'a wrong day on a weekly schedule',
        { frequency: 'weekly', weekday: '1', dayOfMonth: '99', hour: '7' },
      ],
      ['a list for the hour', { frequency: 'daily', hour: ['7', '8'] }],
      ['a cron pattern for the hour', { frequency: 'daily', hour: '*/2' }],
    ])('should make no pattern of %s', (_name, posted) => {
      expect(cronOf(posted as never)).toBeNull();
    });

    it('should fire when the words say, in the zone given', () => {
      const next = CronExpressionParser.parse(
        cronOf({ frequency: 'weekly', weekday: '1', hour: '7' })!,
        { tz: 'Africa/Nairobi', currentDate: new Date('2026-06-03T00:00:00Z') },
      ).next();
      // Monday 8 June 2026, 07:00 in Nairobi (UTC+3).
      expect(next.toDate().toISOString()).toBe('2026-06-08T04:00:00.000Z');
    });
  });

  describe(wordsOf.name, () => {
    it.each([
      ['0 7 * * 1', { frequency: 'weekly', hour: 7, minute: 0, weekday: 1 }],
      ['30 18 * * 7', { frequency: 'weekly', hour: 18, minute: 30, weekday: 0 }],
      ['0 6 * * *', { frequency: 'daily', hour: 6, minute: 0 }],
      ['  5 0 31 * * ', { frequency: 'monthly', hour: 0, minute: 5, dayOfMonth: 31 }],
    ])('should say %s in words', (cron, words) => {
      expect(wordsOf(cron)).toEqual(words);
    });

    it.each([
      '0 */2 * * *',
      '0 7 * * 1-5',
      '0 7 * * MON',
      '0 7,19 * * *',
      '0 7 1 1 *',
      '0 7 1 * 1',
      '15,45 7 * * *',
      '0 7 * *',
      '0 0 7 * * 1',
    ])('should have no words for %s', (cron) => {
      expect(wordsOf(cron)).toBeNull();
    });

    it('should give back the words the form posted', () => {
      for (const posted of [
        { frequency: 'daily', hour: '0' },
        { frequency: 'weekly', weekday: '6', hour: '12' },
        { frequency: 'monthly', dayOfMonth: '1', hour: '23' },
      ]) {
        const words = wordsOf(cronOf(posted)!)!;
        expect({
          frequency: words.frequency,
          hour: String(words.hour),
          ...(words.weekday === undefined ? {} : { weekday: String(words.weekday) }),
          ...(words.dayOfMonth === undefined ? {} : { dayOfMonth: String(words.dayOfMonth) }),
        }).toEqual(posted);
      }
    });
  });

  describe(scheduleMessage.name, () => {
    it('should name the catalog message and its values, the time as 07:00', () => {
      expect(scheduleMessage('0 7 * * 1')).toEqual({
        key: 'schedules.weekly',
        values: { day: 'mon', time: '07:00' },
      });
      expect(scheduleMessage('0 9 * * 0')?.values.day).toBe('sun');
      expect(scheduleMessage('30 6 * * *')).toEqual({
        key: 'schedules.daily',
        values: { time: '06:30' },
      });
      expect(scheduleMessage('0 23 15 * *')).toEqual({
        key: 'schedules.monthly',
        values: { day: 15, time: '23:00' },
      });
      expect(scheduleMessage('0 */2 * * *')).toBeNull();
    });
  });
});
