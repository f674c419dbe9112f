import { Cron } from 'croner';

/**
 * A campaign's schedule and its slots. A slot is the instant the pattern (or `at`) names; the
 * scheduler keys runs on it, never on the moment a timer happened to fire (croner's currentRun()).
 */
export type Schedule = { at: Date } | { cron: string; timezone: string };

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
