import { Cron } from 'croner';

/**
 * A campaign's schedule and its slots. A slot is the instant the pattern (or `at`) names; the
 * scheduler keys runs on it, never on the moment a timer happened to fire (croner's currentRun()).
 */
export type Schedule =
  | {
      /** The slot: for a local-time schedule, the moment the first zone reaches `localAt`. */
      at: Date;
      /** The zone a local `at` was given in; a local-time schedule's recipients of no known zone. */
      timezone?: string;
      /** A local-time schedule's wall-clock time, each recipient's own (docs/design.md, rule 37). */
      localAt?: string;
    }
  | { cron: string; timezone: string };

/**
 * The zone whose clocks are furthest ahead (UTC+14, without daylight saving): a local-time
 * schedule's run opens when it reaches the wall-clock time, and rolls west from there.
 */
export const FIRST_ZONE = 'Pacific/Kiritimati';

/**
 * Why a campaign's zone is refused: one Intl lacks (croner reads the schedule through it), or one
 * PostgreSQL's pg_timezone_names does not count (checked by the service, knownZoneSchedule).
 */
export const UNKNOWN_ZONE = 'is not an IANA time zone this server knows, such as Europe/Berlin';

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** croner with our options: 5 fields (minutes), 6 (seconds first) or 7 (years last). */
export function cronOf(pattern: string, timezone: string): Cron {
  return new Cron(pattern, { timezone, mode: 'auto' });
}

/** Why a cron pattern is unusable, or undefined when it parses and fires at least once. */
export function cronProblem(
  pattern: string,
  timezone: string,
  now = new Date(),
): string | undefined {
  let cron: Cron;
  try {
    cron = cronOf(pattern, timezone);
  } catch (error) {
    return error instanceof Error ? error.message.replace(/^CronPattern: /, '') : 'does not parse';
  }
  return cron.nextRun(now) ? undefined : 'never fires';
}

/**
 * How many firings the interval check walks (or a year's, when fewer): every gap of a week of
 * hourly slots, or of a daily pattern's year, in about 20 ms (croner takes some 40 µs a firing
 * in a time zone). The scheduler keeps the interval however far a short gap hides.
 */
const FIRINGS_CHECKED = 400;
const YEAR_MS = 366 * 86_400_000;

/**
 * The first two consecutive firings of the pattern less than `minGapMs` apart, among its next
 * FIRINGS_CHECKED, or undefined. Every gap counts, not only the first: `0,1 * * * *` is 1 minute
 * then 59, `0 0,23 * * SUN,MON` is 1 hour only from Sunday to Monday.
 */
export function firingsTooClose(
  pattern: string,
  timezone: string,
  minGapMs: number,
  now = new Date(),
): [Date, Date] | undefined {
  if (minGapMs <= 0) return undefined;
  const cron = cronOf(pattern, timezone);
  const end = now.getTime() + YEAR_MS;
  let previous = cron.nextRun(now);
  for (let i = 0; previous && i < FIRINGS_CHECKED && previous.getTime() < end; i++) {
    const next = cron.nextRun(previous);
    if (next && next.getTime() - previous.getTime() < minGapMs) return [previous, next];
    previous = next;
  }
  return undefined;
}

/**
 * The slot to wait for after one that fired: the pattern's next, and never sooner than
 * `minGapMs` after the one that fired (a pattern stored before the check existed, a short gap
 * beyond those the check walked, a clock change).
 */
export function slotAfterFiring(
  schedule: Schedule,
  fired: Date,
  now: Date,
  minGapMs: number,
): Date | null {
  const notBefore = Math.max(now.getTime(), fired.getTime() + minGapMs - 1);
  return nextSlot(schedule, new Date(notBefore));
}

/** The first slot strictly after `after`, in the schedule's time zone (DST included), or null. */
export function nextSlot(schedule: Schedule, after: Date): Date | null {
  if ('at' in schedule) return schedule.at > after ? schedule.at : null;
  return cronOf(schedule.cron, schedule.timezone).nextRun(after);
}

/**
 * The latest slot at or before `now`, not before `due` (the slot the campaign waited for): after
 * an outage, the one that stands for all the slots the service slept through.
 */
export function latestDueSlot(schedule: Schedule, due: Date, now: Date): Date {
  if ('at' in schedule) return due;
  // previousRuns counts a run earlier in the same second as the reference: step 1 ms past now.
  const [latest] = cronOf(schedule.cron, schedule.timezone).previousRuns(
    1,
    new Date(now.getTime() + 1),
  );
  return latest && latest > due && latest <= now ? latest : due;
}

/** A date-time without an offset (`2026-12-01T09:00:00`): a wall-clock time that needs a zone. */
const LOCAL_DATE_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d(?:\.\d+)?)?$/;

/** How far ahead of UTC the zone's clocks are at `instant` (ms; seconds precision). */
function zoneOffsetMs(instant: number, zone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(new Date(instant));
  const part = (type: Intl.DateTimeFormatPartTypes) =>
    Number(parts.find((p) => p.type === type)?.value);
  const wall = Date.UTC(
    part('year'),
    part('month') - 1,
    part('day'),
    part('hour'),
    part('minute'),
    part('second'),
  );
  return wall - (instant - (((instant % 1000) + 1000) % 1000));
}

/**
 * The instant a wall-clock time names in `zone`: the first of the two in the hour that repeats
 * when clocks go back (as a daily cron fires), null in the hour they skip going forward. The
 * zone's offsets a day before and after are the only candidates: transitions are months apart.
 */
export function wallClockInstant(local: string, zone: string): Date | null {
  const wall = Date.parse(`${local}Z`);
  const candidates = [zoneOffsetMs(wall - 86_400_000, zone), zoneOffsetMs(wall + 86_400_000, zone)]
    .map((offset) => wall - offset)
    .filter((instant) => zoneOffsetMs(instant, zone) === wall - instant)
    .sort((a, b) => a - b);
  return candidates[0] === undefined ? null : new Date(candidates[0]);
}

/**
 * The instant of a one-off schedule's `at`, or what is wrong with it (and where): an `at` with
 * an offset (`Z`, `+01:00`) is that instant; one without is a local time in `timezone`, which it
 * then needs.
 */
export function resolveAt(
  at: string,
  timezone: string | undefined,
): { instant: Date } | { path: 'at' | 'timezone'; message: string } {
  if (!LOCAL_DATE_TIME.test(at)) {
    if (timezone !== undefined)
      return {
        path: 'timezone',
        message:
          'goes with a local `at` (without an offset) or with `cron`; this `at` has an offset',
      };
    return { instant: new Date(at) };
  }
  if (timezone === undefined)
    return {
      path: 'at',
      message:
        'has no offset: add one (2026-12-01T09:00:00Z, 2026-12-01T09:00:00+01:00), or give `timezone` (Europe/Paris) to read it as a local time there',
    };
  if (!isTimeZone(timezone)) return { path: 'timezone', message: UNKNOWN_ZONE };
  const instant = wallClockInstant(at, timezone);
  if (!instant)
    return {
      path: 'at',
      message: `${at} does not exist in ${timezone}: the clocks skip that hour (daylight saving time)`,
    };
  return { instant };
}

/**
 * What is wrong with a local-time schedule (`{at, localTime: true}`), and where: its `at` must
 * be a local date-time that the first zone (UTC+14) has not yet reached, and its `timezone`,
 * the zone of recipients whose own is unknown, a real one.
 */
export function localTimeProblem(
  at: string | undefined,
  timezone: string | undefined,
  now = new Date(),
): { path: 'at' | 'timezone' | 'cron'; message: string } | undefined {
  if (at === undefined) return { path: 'cron', message: 'localTime goes with `at`, not `cron`' };
  if (!LOCAL_DATE_TIME.test(at))
    return {
      path: 'at',
      message: 'with localTime, must be a local date-time without an offset (2026-12-01T10:00)',
    };
  if (timezone !== undefined && !isTimeZone(timezone))
    return { path: 'timezone', message: UNKNOWN_ZONE };
  const first = firstZoneInstant(at);
  if (first.getTime() <= now.getTime())
    return {
      path: 'at',
      message: `must lie in the future in every zone: ${at} has already come in the first zone, UTC+14 (at ${first.toISOString()})`,
    };
  return undefined;
}

/** When the first zone (UTC+14) reaches a local date-time: a local-time schedule's slot. */
export function firstZoneInstant(local: string): Date {
  // UTC+14 has no daylight saving: every wall-clock time exists there once
  return wallClockInstant(local, FIRST_ZONE) ?? new Date(Date.parse(`${local}Z`) - 14 * 3_600_000);
}
