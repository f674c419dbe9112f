import { describe, expect, it } from 'vitest';
import { scheduleColumns } from './create-campaign';
import { cronProblem, isTimeZone, latestDueSlot, nextSlot, wallClockInstant } from './schedule';

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
    expect(() => scheduleColumns(passed)).toThrow(/schedule\.at: the schedule has no run left/);
    expect(scheduleColumns({ at: new Date(Date.now() + 60_000) }).next_run_at).toBeInstanceOf(Date);
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
