import { fieldErrors } from '../http/problem';
import { scheduleFromInput, scheduleProblem } from './create-campaign';
import { nextSlot } from './schedule';
import type { NextFiringsQuery, ScheduleFirings } from './schedule-schemas';
import { describeSchedule, firingWords } from './schedule-words';
import { ScheduleInput } from './schemas';

/**
 * GET /v1/schedules/next: when a schedule would fire, in words, before any campaign has it. The
 * schedule is checked as a campaign's is (the same schema, the same unusable-schedule checks), so
 * a pattern the console shows times for is one the campaign will take, and one it refuses comes
 * with the campaign's error.
 */
export function nextFirings(
  query: NextFiringsQuery,
  minIntervalMinutes: number,
  now = new Date(),
): ScheduleFirings {
  const parsed = ScheduleInput.safeParse({
    at: query.at,
    cron: query.cron,
    timezone: query.timezone,
    ...(query.localTime === 'true' ? { localTime: true } : {}),
  });
  const zone = query.timezone ?? 'UTC';
  if (!parsed.success)
    return { description: null, timezone: zone, next: [], errors: fieldErrors(parsed.error) };
  const schedule = scheduleFromInput(parsed.data);
  const problem = scheduleProblem(schedule, minIntervalMinutes, now);
  if (problem) {
    const errors = [{ path: problem.field, message: problem.message }];
    return { description: null, timezone: zone, next: [], errors };
  }
  const next: ScheduleFirings['next'] = [];
  for (let after = now; next.length < query.count; ) {
    const slot = nextSlot(schedule, after);
    if (!slot) break;
    next.push({ at: slot.toISOString(), local: firingWords(slot, zone, now) });
    after = slot;
  }
  return { description: describeSchedule(schedule, zone, now), timezone: zone, next, errors: [] };
}
