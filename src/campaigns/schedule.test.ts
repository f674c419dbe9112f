import { describe, expect, it } from 'vitest';
import { scheduleColumns } from './create-campaign';
import {
  cronProblem,
  firingsTooClose,
  isTimeZone,
  latestDueSlot,
  nextSlot,
  slotAfterFiring,
  wallClockInstant,
} from './schedule';

const next = (cron: string, timezone: string, after: string) =>
  nextSlot({ cron, timezone }, new Date(after))?.toISOString();

describe('nextSlot across daylight saving time', () => {
  it('Europe/Berlin spring forward: 02:30 does not exist on 2026-03-29, fires at 03:00 CEST', () => {
    expect(next('30 2 * * *', 'Europe/Berlin', '2026-03-28T12:00:00Z')).toBe(
      '2026-03-29T01:00:00.000Z',
    );
    expect(next('30 2 * * *', 'Europe/Berlin', '2026-03-29T01:00:00Z')).toBe(
      '2026-03-30T00:30:00.000Z',
    );
  });

  it('Europe/Berlin fall back: 02:30 happens twice on 2026-10-25, a daily job fires once', () => {
    expect(next('30 2 * * *', 'Europe/Berlin', '2026-10-24T12:00:00Z')).toBe(
      '2026-10-25T00:30:00.000Z', // 02:30 CEST, the first occurrence
    );
    expect(next('30 2 * * *', 'Europe/Berlin', '2026-10-25T00:30:00Z')).toBe(
      '2026-10-26T01:30:00.000Z', // not 02:30 CET an hour later
    );
  });

  it('Europe/Berlin fall back: an interval job fires on both occurrences of the repeated hour', () => {
    const slots: string[] = [];
    let after = new Date('2026-10-25T00:15:00Z');
    for (let i = 0; i < 4; i++) {
      const slot = nextSlot({ cron: '*/30 * * * *', timezone: 'Europe/Berlin' }, after);
      if (!slot) throw new Error('no slot');
      slots.push(slot.toISOString());
      after = slot;
    }
    expect(slots).toEqual([
      '2026-10-25T00:30:00.000Z', // 02:30 CEST
      '2026-10-25T01:00:00.000Z', // 02:00 CET
      '2026-10-25T01:30:00.000Z', // 02:30 CET
      '2026-10-25T02:00:00.000Z', // 03:00 CET
    ]);
  });

  it('America/New_York: Monday 9:00 stays 9:00 local when the offset changes', () => {
    expect(next('0 9 * * 1', 'America/New_York', '2026-03-03T00:00:00Z')).toBe(
      '2026-03-09T13:00:00.000Z', // EDT, the day after the switch
    );
    expect(next('0 9 * * 1', 'America/New_York', '2026-02-24T00:00:00Z')).toBe(
      '2026-03-02T14:00:00.000Z', // EST
    );
    expect(next('30 2 * * *', 'America/New_York', '2026-03-07T12:00:00Z')).toBe(
      '2026-03-08T07:00:00.000Z', // 02:30 does not exist: 03:00 EDT
    );
  });

  it('a one-off slot is its own time, only while it lies ahead', () => {
    const at = new Date('2026-05-01T10:00:00Z');
    expect(nextSlot({ at }, new Date('2026-04-30T00:00:00Z'))).toEqual(at);
    expect(nextSlot({ at }, at)).toBeNull();
  });
});

describe('latestDueSlot', () => {
  it('picks the latest slot the service slept through, never one before the due slot', () => {
    const schedule = { cron: '0 * * * *', timezone: 'UTC' };
    const due = new Date('2026-05-01T10:00:00Z');
    expect(latestDueSlot(schedule, due, new Date('2026-05-01T13:20:00Z')).toISOString()).toBe(
      '2026-05-01T13:00:00.000Z',
    );
    expect(latestDueSlot(schedule, due, new Date('2026-05-01T13:00:00Z')).toISOString()).toBe(
      '2026-05-01T13:00:00.000Z',
    );
    expect(latestDueSlot(schedule, due, new Date('2026-05-01T10:00:00.300Z'))).toEqual(due);
  });
});

describe('validation helpers', () => {
  it('knows IANA zones and refuses others', () => {
    expect(isTimeZone('Europe/Berlin')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('Mars/Olympus_Mons')).toBe(false);
  });

  it('refuses patterns that do not parse or never fire', () => {
    expect(cronProblem('*/2 * * * * *', 'UTC')).toBeUndefined();
    expect(cronProblem('0 9 * * MON', 'Europe/Berlin')).toBeUndefined();
    expect(cronProblem('not a cron', 'UTC')).toBeTypeOf('string');
    expect(cronProblem('61 * * * *', 'UTC')).toBeTypeOf('string');
    expect(cronProblem('0 0 30 2 *', 'UTC')).toBe('never fires');
    expect(cronProblem('0 0 0 1 1 * 2020', 'UTC')).toBe('never fires');
  });
});

describe('scheduleColumns', () => {
  it('refuses a schedule with no run left to fire (an `at` that passed while the request waited)', () => {
    const passed = { at: new Date(Date.now() - 1000) };
    expect(() => scheduleColumns(passed, 60)).toThrow(/schedule\.at: the schedule has no run left/);
    expect(scheduleColumns({ at: new Date(Date.now() + 60_000) }, 60).nextRunAt).toBeInstanceOf(
      Date,
    );
  });

  it('refuses a pattern with two firings closer than the interval, naming them', () => {
    const every30 = { cron: '*/30 * * * *', timezone: 'UTC' };
    const now = new Date('2026-01-05T10:10:00Z');
    expect(() => scheduleColumns(every30, 60, now)).toThrow(
      'schedule.cron: fires at 2026-01-05T10:30:00.000Z and again 30 min later; two firings must be at least 60 minutes apart (MIN_SCHEDULE_INTERVAL_MINUTES)',
    );
    expect(scheduleColumns(every30, 30, now).nextRunAt?.toISOString()).toBe(
      '2026-01-05T10:30:00.000Z',
    );
    expect(scheduleColumns(every30, 0, now).scheduleCron).toBe('*/30 * * * *');
  });
});

describe('firingsTooClose', () => {
  // Monday 5 January 2026, noon
  const monday = new Date('2026-01-05T12:00:00Z');
  const hour = 3_600_000;
  const iso = (pair: [Date, Date] | undefined) => pair?.map((date) => date.toISOString());

  it('finds a short gap that is not among the first firings', () => {
    // 23:00 and 00:00 on Sundays, Mondays, Wednesdays and Fridays: 1 hour only from Sunday to
    // Monday, six firings ahead of a Monday noon
    expect(iso(firingsTooClose('0 0,23 * * SUN,MON,WED,FRI', 'UTC', 1.5 * hour, monday))).toEqual([
      '2026-01-11T23:00:00.000Z',
      '2026-01-12T00:00:00.000Z',
    ]);
    expect(firingsTooClose('0 0,23 * * SUN,MON,WED,FRI', 'UTC', hour, monday)).toBeUndefined();
    // 1 minute, then 59: from noon, the first gap is the 59 minutes from 12:01 to 13:00
    expect(iso(firingsTooClose('0,1 * * * *', 'UTC', hour, monday))).toEqual([
      '2026-01-05T12:01:00.000Z',
      '2026-01-05T13:00:00.000Z',
    ]);
    expect(firingsTooClose('0,1 * * * *', 'UTC', 60_000, monday)).toBeUndefined();
  });

  it('measures seconds-field patterns to the second, and lets 0 turn the check off', () => {
    expect(iso(firingsTooClose('* * * * * *', 'UTC', 60_000, monday))).toEqual([
      '2026-01-05T12:00:01.000Z',
      '2026-01-05T12:00:02.000Z',
    ]);
    expect(firingsTooClose('0 * * * * *', 'UTC', 60_000, monday)).toBeUndefined();
    expect(firingsTooClose('* * * * * *', 'UTC', 0, monday)).toBeUndefined();
  });

  it('takes the clock change into account: a 2-hour gap is 1 hour on the spring-forward night', () => {
    const beforeSpring = new Date('2026-03-28T12:00:00Z');
    expect(iso(firingsTooClose('0 1,3 * * *', 'Europe/Berlin', 1.5 * hour, beforeSpring))).toEqual([
      '2026-03-29T00:00:00.000Z', // 01:00 CET
      '2026-03-29T01:00:00.000Z', // 03:00 CEST
    ]);
  });
});

describe('slotAfterFiring', () => {
  const everySecond = { cron: '* * * * * *', timezone: 'UTC' };
  const fired = new Date('2026-01-05T12:00:00Z');

  it('waits the interval after the slot that fired, however often the pattern fires', () => {
    const now = new Date('2026-01-05T12:00:00.200Z');
    expect(slotAfterFiring(everySecond, fired, now, 3_600_000)?.toISOString()).toBe(
      '2026-01-05T13:00:00.000Z',
    );
    expect(slotAfterFiring(everySecond, fired, now, 0)?.toISOString()).toBe(
      '2026-01-05T12:00:01.000Z',
    );
  });

  it('takes the next slot after now when the interval has passed already', () => {
    const hourly = { cron: '0 * * * *', timezone: 'UTC' };
    const now = new Date('2026-01-05T12:00:00.200Z');
    expect(slotAfterFiring(hourly, fired, now, 3_600_000)?.toISOString()).toBe(
      '2026-01-05T13:00:00.000Z',
    );
    const late = new Date('2026-01-05T15:30:00Z');
    expect(slotAfterFiring(hourly, fired, late, 3_600_000)?.toISOString()).toBe(
      '2026-01-05T16:00:00.000Z',
    );
  });
});

describe('wallClockInstant', () => {
  const instant = (local: string, zone: string) => wallClockInstant(local, zone)?.toISOString();

  it('reads a local time in its zone, winter and summer, east and west, on half hours', () => {
    expect(instant('2026-12-01T09:00:00', 'Europe/Paris')).toBe('2026-12-01T08:00:00.000Z');
    expect(instant('2026-07-01T09:00:00', 'Europe/Paris')).toBe('2026-07-01T07:00:00.000Z');
    expect(instant('2026-07-01T09:00:00', 'America/New_York')).toBe('2026-07-01T13:00:00.000Z');
    expect(instant('2026-12-31T23:30:00.250', 'Asia/Kolkata')).toBe('2026-12-31T18:00:00.250Z');
    expect(instant('2026-12-01T09:00', 'UTC')).toBe('2026-12-01T09:00:00.000Z');
  });

  it('takes the first of a repeated hour and refuses a skipped one', () => {
    expect(instant('2026-10-25T02:30:00', 'Europe/Paris')).toBe('2026-10-25T00:30:00.000Z');
    expect(instant('2026-03-29T02:30:00', 'Europe/Paris')).toBeUndefined();
    expect(instant('2026-03-29T03:00:00', 'Europe/Paris')).toBe('2026-03-29T01:00:00.000Z');
  });
});
