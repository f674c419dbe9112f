/**
 * When a run's recipients would be sent (the launch preview's `byHour`, `estimatedFinish`,
 * `outsideWindowNow` and `expiring`): a simulation of its dispatch over each zone's send
 * windows (docs/design.md, rule 37), at the run's pace and within the sender's daily limit.
 * Pure: the windows come from send_windows() in SQL, so the zone rules are PostgreSQL's, as the
 * snapshot's placement of the same rows is.
 *
 * An estimate, as preview-estimate.ts's: rows go in the order their zones become due (first
 * come, first served; the dispatcher itself takes due rows by id, mixing zones due at once),
 * the run has its sender to itself, and the daily limit frees `limit` more each day from the
 * start (the rolling window frees them as earlier sends age, not at once).
 */

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** How far the simulation looks ahead of the start: past it, see PlanInput's `horizonDays`. */
export const PLAN_HORIZON_DAYS = 8;

export type Interval = { opens: Date; closes: Date };

/** A zone's recipients (or all of them, when no window or local time applies). */
export type PlanGroup = {
  count: number;
  /** The first moment they may go: a local-time schedule's `at` in their zone; else the start. */
  dueFrom: Date;
  /** The zone's windows in time order (send_windows()); null: always open. */
  windows: Interval[] | null;
};

export type PlanInput = {
  start: Date;
  pacePerSecond: number;
  /** Recipients the sender may still reach in the first 24 hours; then `dailyLimit` a day. */
  room: number;
  dailyLimit: number | null;
  /** The run's deadline (deadlineHours after its start): rows not sent by then expire. */
  deadline: Date | null;
  groups: PlanGroup[];
  /**
   * Days simulated. Rows left at the horizon (a long daily limit's wait, a big audience at a
   * slow pace) are reckoned on from there at the pace and limit, windows ignored: the finish is
   * then a lower bound, and `beyondHorizon` says how many.
   */
  horizonDays?: number;
};

export type Plan = {
  /** Every hour (UTC) from the first send's to the last's, empty ones included. */
  byHour: { hour: string; count: number }[];
  /** When the last send's slot ends: `start + n / pace` without windows or limit. */
  finish: Date;
  /** Rows whose zone's window is closed at the start, or whose local time has not come. */
  outsideAtStart: number;
  /** Rows the deadline ends before they could go. */
  expiring: number;
  /** Rows not sent within the horizon (and not expiring). */
  beyondHorizon: number;
};

type State = {
  left: number;
  dueFrom: number;
  windows: { opens: number; closes: number }[] | null;
  /** When its remaining rows are next due: the queue's order. */
  readyAt: number;
};

/** The first moment at or after `at` inside one of the windows, and when that window closes. */
function openingAt(state: State, at: number): { opens: number; closes: number } | null {
  const from = Math.max(at, state.dueFrom);
  if (!state.windows) return { opens: from, closes: Number.POSITIVE_INFINITY };
  const window = state.windows.find((w) => w.closes > from);
  return window ? { opens: Math.max(from, window.opens), closes: window.closes } : null;
}

/** Rows `0..n-1` going at `t0 + i / pace`: how many of them go before `until`. */
function goneBefore(t0: number, n: number, perMs: number, until: number): number {
  return Math.min(n, Math.max(0, Math.ceil((until - t0) * perMs - 1e-9)));
}

export function planSends(input: PlanInput): Plan {
  const { pacePerSecond: pace } = input;
  if (!(pace > 0) || !Number.isFinite(pace)) throw new Error(`pace must be positive: ${pace}`);
  const perMs = pace / 1000;
  const start = input.start.getTime();
  const horizonEnd = start + (input.horizonDays ?? PLAN_HORIZON_DAYS) * DAY_MS;
  const deadline = input.deadline?.getTime() ?? Number.POSITIVE_INFINITY;
  const stop = Math.min(horizonEnd, deadline);
  const states: State[] = input.groups
    .filter((group) => group.count > 0)
    .map((group) => ({
      left: group.count,
      dueFrom: group.dueFrom.getTime(),
      windows:
        group.windows?.map((w) => ({ opens: w.opens.getTime(), closes: w.closes.getTime() })) ??
        null,
      readyAt: Number.POSITIVE_INFINITY,
    }));
  let outsideAtStart = 0;
  for (const state of states) {
    state.readyAt = openingAt(state, start)?.opens ?? Number.POSITIVE_INFINITY;
    if (state.readyAt > start) outsideAtStart += state.left;
  }

  const hours = new Map<number, number>();
  const send = (t0: number, n: number) => {
    for (let hour = t0 - (t0 % HOUR_MS); hour < t0 + n / perMs; hour += HOUR_MS) {
      const count = goneBefore(t0, n, perMs, hour + HOUR_MS) - goneBefore(t0, n, perMs, hour);
      if (count > 0) hours.set(hour, (hours.get(hour) ?? 0) + count);
    }
  };

  const limit = input.dailyLimit ?? Number.POSITIVE_INFINITY;
  let dayRoom = input.dailyLimit === null ? Number.POSITIVE_INFINITY : input.room;
  let dayEnd = start + DAY_MS;
  let t = start;
  let finish = start;
  for (;;) {
    const waiting = states.filter((s) => s.left > 0 && s.readyAt < stop);
    if (waiting.length === 0) break;
    // first come, first served: the zone due longest
    const next = waiting.reduce((a, b) => (b.readyAt < a.readyAt ? b : a));
    t = Math.max(t, next.readyAt);
    while (t >= dayEnd) {
      dayEnd += DAY_MS;
      dayRoom = limit;
    }
    if (t >= stop) break;
    const window = openingAt(next, t);
    if (!window || window.opens > t) {
      // its window closed while others went first: it waits for the next
      next.readyAt = window?.opens ?? Number.POSITIVE_INFINITY;
      continue;
    }
    const until = Math.min(window.closes, stop, dayEnd);
    const n = Math.min(next.left, dayRoom, goneBefore(t, next.left, perMs, until));
    if (n > 0) {
      send(t, n);
      t += n / perMs;
      finish = t;
      next.left -= n;
      dayRoom -= n;
    }
    if (dayRoom <= 0) t = Math.max(t, dayEnd);
    else if (n === 0 || t >= window.closes)
      next.readyAt = openingAt(next, window.closes)?.opens ?? Number.POSITIVE_INFINITY;
  }

  const left = states.reduce((sum, s) => sum + s.left, 0);
  const expires = left > 0 && deadline <= horizonEnd;
  if (left > 0 && !expires) finish = roughFinish(Math.max(t, horizonEnd), left, perMs, limit);
  const byHour: Plan['byHour'] = [];
  const filled = [...hours.keys()];
  if (filled.length > 0)
    for (let hour = Math.min(...filled); hour <= Math.max(...filled); hour += HOUR_MS)
      byHour.push({ hour: new Date(hour).toISOString(), count: hours.get(hour) ?? 0 });
  return {
    byHour,
    finish: new Date(finish),
    outsideAtStart,
    expiring: expires ? left : 0,
    beyondHorizon: expires ? 0 : left,
  };
}

/** The rows past the horizon at the pace, `limit` a day, as preview-estimate.ts reckons them. */
function roughFinish(from: number, rows: number, perMs: number, limit: number): number {
  if (rows <= limit) return from + rows / perMs;
  const days = Math.ceil(rows / limit) - 1;
  return from + days * DAY_MS + (rows - days * limit) / perMs;
}
