import { describe, expect, it } from 'vitest';
import { type PlanGroup, planSends } from './send-plan';

const at = (iso: string) => new Date(`2026-12-01T${iso}:00Z`);
const start = at('10:00');
const window = (opens: string, closes: string) => ({ opens: at(opens), closes: at(closes) });
const open = (count: number): PlanGroup => ({ count, dueFrom: start, windows: null });
const base = { start, room: Number.POSITIVE_INFINITY, dailyLimit: null, deadline: null };
const total = (byHour: { count: number }[]) => byHour.reduce((sum, h) => sum + h.count, 0);

describe('planSends', () => {
  it('without windows, sends at the pace from the start: start + n / pace', () => {
    const plan = planSends({ ...base, pacePerSecond: 1, groups: [open(5400)] });
    expect(plan.finish).toEqual(at('11:30'));
    expect(plan.byHour).toEqual([
      { hour: '2026-12-01T10:00:00.000Z', count: 3600 },
      { hour: '2026-12-01T11:00:00.000Z', count: 1800 },
    ]);
    expect(plan).toMatchObject({ outsideAtStart: 0, expiring: 0, beyondHorizon: 0 });
  });

  it("holds a zone's rows until its window opens, and counts them outside at the start", () => {
    const plan = planSends({
      ...base,
      pacePerSecond: 1,
      groups: [open(60), { count: 120, dueFrom: start, windows: [window('13:00', '20:00')] }],
    });
    expect(plan.outsideAtStart).toBe(120);
    expect(plan.byHour).toEqual([
      { hour: '2026-12-01T10:00:00.000Z', count: 60 },
      { hour: '2026-12-01T11:00:00.000Z', count: 0 },
      { hour: '2026-12-01T12:00:00.000Z', count: 0 },
      { hour: '2026-12-01T13:00:00.000Z', count: 120 },
    ]);
    expect(plan.finish).toEqual(at('13:02'));
  });

  it('stops a zone when its window closes, and goes on at its next opening', () => {
    const plan = planSends({
      ...base,
      start: at('10:30'),
      pacePerSecond: 1,
      groups: [
        {
          count: 3600,
          dueFrom: at('10:30'),
          windows: [window('08:00', '11:00'), window('14:00', '18:00')],
        },
      ],
    });
    expect(plan.outsideAtStart).toBe(0);
    expect(plan.byHour.map((h) => h.count)).toEqual([1800, 0, 0, 0, 1800]);
    expect(plan.finish).toEqual(at('14:30'));
  });

  it('serves the zone due first before one due later, sharing the pace', () => {
    const plan = planSends({
      ...base,
      pacePerSecond: 1,
      groups: [
        { count: 3600, dueFrom: at('10:30'), windows: null },
        { count: 1800, dueFrom: start, windows: [window('10:00', '12:00')] },
      ],
    });
    // the second is due at 10:00 and goes first (30 minutes); the first then from 10:30 to 11:30
    expect(plan.byHour.map((h) => h.count)).toEqual([3600, 1800]);
    expect(plan.finish).toEqual(at('11:30'));
  });

  it("a local-time schedule's zone waits for its own `at`, then for its window", () => {
    const plan = planSends({
      ...base,
      pacePerSecond: 10,
      groups: [{ count: 10, dueFrom: at('12:00'), windows: [window('13:00', '20:00')] }],
    });
    expect(plan.outsideAtStart).toBe(10);
    expect(plan.byHour).toEqual([{ hour: '2026-12-01T13:00:00.000Z', count: 10 }]);
  });

  it('keeps to the daily limit: the room first, then the limit a day', () => {
    const plan = planSends({
      ...base,
      pacePerSecond: 1,
      room: 100,
      dailyLimit: 150,
      groups: [open(300)],
    });
    expect(total(plan.byHour)).toBe(300);
    // 100 from 10:00, 150 from 10:00 the next day, the last 50 the day after
    expect(plan.finish).toEqual(new Date(at('10:00').getTime() + 2 * 86_400_000 + 50_000));
    expect(plan.byHour).toHaveLength(49);
  });

  it('counts the rows the deadline ends as expiring, not sent', () => {
    const plan = planSends({
      ...base,
      pacePerSecond: 1,
      deadline: at('12:00'),
      groups: [
        { count: 100, dueFrom: start, windows: [window('11:59', '20:00')] },
        { count: 5, dueFrom: start, windows: [window('15:00', '20:00')] },
      ],
    });
    expect(total(plan.byHour)).toBe(60);
    expect(plan).toMatchObject({ expiring: 45, beyondHorizon: 0, outsideAtStart: 105 });
    expect(plan.finish).toEqual(at('12:00'));
  });

  it('stops at the horizon and reckons the rest on without windows', () => {
    const plan = planSends({
      ...base,
      pacePerSecond: 1,
      horizonDays: 1,
      room: 10,
      dailyLimit: 10,
      groups: [open(25)],
    });
    // 10 on day 1; at the horizon, 15 left: 10 more that day, 5 the next
    expect(total(plan.byHour)).toBe(10);
    expect(plan.beyondHorizon).toBe(15);
    expect(plan.finish).toEqual(new Date(start.getTime() + 2 * 86_400_000 + 5_000));
  });

  it('never sends a zone whose window opens past the horizon', () => {
    const plan = planSends({
      ...base,
      pacePerSecond: 1,
      horizonDays: 1,
      groups: [{ count: 3, dueFrom: start, windows: [] }],
    });
    expect(plan).toMatchObject({ byHour: [], outsideAtStart: 3, beyondHorizon: 3 });
  });

  it('refuses a pace that is not a positive number', () => {
    expect(() => planSends({ ...base, pacePerSecond: 0, groups: [] })).toThrow('pace');
  });
});
