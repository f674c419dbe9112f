import { describe, expect, it } from 'vitest';
import { cronWords, describeSchedule } from './schedule-words';

describe('schedules in words', () => {
  it('says the common cron shapes outright', () => {
    expect(cronWords('0 9 * * MON')).toBe('Every Monday at 09:00');
    expect(cronWords('30 18 * * 1,3,5')).toBe('Every Monday, Wednesday and Friday at 18:30');
    expect(cronWords('0 8 * * 1-5')).toBe('Every weekday (Monday to Friday) at 08:00');
    expect(cronWords('15 7 * * *')).toBe('Every day at 07:15');
    expect(cronWords('0 10 1 * *')).toBe('On day 1 of every month at 10:00');
    expect(cronWords('5 * * * *')).toBe('Every hour at 05 minutes past');
    expect(cronWords('0 0 7 * * *')).toBeUndefined();
    expect(cronWords('*/15 9-17 * * *')).toBeUndefined();
  });

  it('gives the next firings of a pattern, and words for no schedule', () => {
    const words = describeSchedule({
      schedule: { cron: '*/20 9 * * *', timezone: 'Europe/Paris' },
      nextRunAt: null,
      status: 'scheduled',
    });
    expect(words.summary).toBe('Repeats on a custom pattern.');
    expect(words.next).toHaveLength(3);
    expect(words.pattern).toBe('*/20 9 * * *');
    expect(describeSchedule({ schedule: null, nextRunAt: null, status: 'draft' }).summary).toBe(
      'None: it is sent when someone starts it.',
    );
    const local = describeSchedule({
      schedule: { at: '2026-12-01T10:00', localTime: true, timezone: 'Asia/Tokyo' },
      nextRunAt: '2026-11-30T20:00:00.000Z',
      status: 'scheduled',
    });
    expect(local.summary).toMatch(
      /^Once, on Tue 1 Dec( 2026)? at 10:00 in each recipient's time zone\.$/,
    );
    expect(local.rolling).toEqual({ unknownZone: 'Asia/Tokyo' });
    expect(local.next).toEqual([new Date('2026-11-30T20:00:00.000Z')]);
  });
});
