import { firesMoreOftenThanHourly } from './schedule-frequency.js';

describe(firesMoreOftenThanHourly.name, () => {
  const from = new Date('2026-11-23T10:17:00Z');

  it.each([
    ['* * * * *', 'UTC'],
    ['*/30 * * * *', 'UTC'],
    ['0,59 * * * *', 'UTC'],
    ['0-1 7 * * 1', 'Africa/Nairobi'],
    ['* 9 1 1 *', 'UTC'],
    ['15,45 9 29 2 *', 'UTC'],
  ])('should say yes when %s fires twice within an hour (%s)', (cron, timezone) => {
    expect(firesMoreOftenThanHourly(cron, timezone, from)).toBe(true);
  });

  it.each([
    ['0 * * * *', 'UTC'],
    ['59 * * * *', 'America/New_York'],
    ['0 7 * * 1', 'Africa/Nairobi'],
    ['0 */2 * * *', 'Europe/Paris'],
    ['30 9 29 2 *', 'UTC'],
    ['0 0 1 1 *', 'Asia/Tokyo'],
  ])('should say no when %s fires at most hourly (%s)', (cron, timezone) => {
    expect(firesMoreOftenThanHourly(cron, timezone, from)).toBe(false);
  });
});
