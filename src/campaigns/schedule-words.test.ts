import { describe, expect, it } from 'vitest';
import { describeCron, describeSchedule, firingWords, localAtWords } from './schedule-words';

describe('schedules in words', () => {
  it('describes the common shapes of a cron pattern', () => {
    const cases: [string, string | undefined][] = [
      ['0 9 * * MON', 'Every Monday at 09:00'],
      ['0 9 * * 1', 'Every Monday at 09:00'],
      ['30 8 * * mon,fri', 'Every Monday and Friday at 08:30'],
      ['0 9 * * MON-FRI', 'Every weekday (Monday to Friday) at 09:00'],
      ['0 9 * * SAT-SUN', 'Every Saturday to Sunday at 09:00'],
      ['0 10 * * *', 'Every day at 10:00'],
      ['0 9,17 * * *', 'Every day at 09:00 and 17:00'],
      ['0 9 1 * *', 'On the first day of every month at 09:00'],
      ['0 9 1,15 * *', 'On the 1st and 15th of every month at 09:00'],
      ['0 9 2,3,11,22 * *', 'On the 2nd, 3rd, 11th and 22nd of every month at 09:00'],
      ['0 18 L * *', 'On the last day of every month at 18:00'],
      ['0 * * * *', 'Every hour, on the hour'],
      ['15 * * * *', 'Every hour at 15 minutes past'],
      ['0 0 9 * * MON', 'Every Monday at 09:00'],
      ['*/5 * * * *', undefined],
      ['0 9 1-7 * MON', undefined],
      ['0 9 * 12 *', undefined],
      ['0 9 * * MON#1', undefined],
    ];
    for (const [pattern, words] of cases) expect(describeCron(pattern), pattern).toBe(words);
  });

  it('names the zone, and a pattern it cannot describe as it is', () => {
    const now = new Date('2026-11-29T12:00:00Z');
    expect(describeSchedule({ cron: '0 9 * * MON', timezone: 'Europe/Paris' })).toBe(
      'Every Monday at 09:00 in Europe/Paris',
    );
    expect(describeSchedule({ cron: '*/90 * * * *', timezone: 'UTC' })).toBe(
      'On the pattern "*/90 * * * *" in UTC',
    );
    expect(describeSchedule({ at: new Date('2026-12-01T08:00:00Z') }, 'Europe/Paris', now)).toBe(
      'Once, on Tue 1 Dec, 09:00 in Europe/Paris',
    );
    expect(firingWords(new Date('2027-01-04T08:00:00Z'), 'Europe/Paris', now)).toBe(
      'Mon 4 Jan 2027, 09:00',
    );
  });

  it("says a local-time one-off in each recipient's zone, whatever the zone given", () => {
    const now = new Date('2026-11-29T12:00:00Z');
    const schedule = { at: new Date('2026-11-30T20:00:00Z'), localAt: '2026-12-01T10:00' };
    expect(describeSchedule(schedule, 'Europe/Paris', now)).toBe(
      "Once, on Tue 1 Dec at 10:00 in each recipient's time zone",
    );
    expect(localAtWords('2027-01-04T09:30', now)).toBe('Mon 4 Jan 2027 at 09:30');
  });
});
