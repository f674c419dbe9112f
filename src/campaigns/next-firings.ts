import { AppError } from '../errors';
import { validationError } from '../http/problem';
import { scheduleFromInput, scheduleProblem } from './create-campaign';
import { nextSlot } from './schedule';
import type { NextFiringsQuery, ScheduleFirings } from './schedule-schemas';
import { describeSchedule, firingWords } from './schedule-words';
import { ScheduleInput } from './schemas';

/**
 * GET /v1/schedules/next: when a schedule would fire, in words, before any campaign has it. The
 * schedule is checked as a campaign's is (the same schema, the same unusable-schedule checks), so
 * a pattern the console shows times for is one the campaign will take.
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
  });
  if (!parsed.success) throw validationError(parsed.error, 'query');
  const schedule = scheduleFromInput(parsed.data);
  const problem = scheduleProblem(schedule, minIntervalMinutes, now);
  if (problem) {
    const path = `query.${problem.field}`;
    throw new AppError('bad_request', `${path}: ${problem.message}`, [
      { path, message: problem.message },
    ]);
  }
  const zone = parsed.data.timezone ?? 'UTC';
  const next: ScheduleFirings['next'] = [];
  for (let after = now; next.length < query.count; ) {
    const slot = nextSlot(schedule, after);
    if (!slot) break;
    next.push({ at: slot.toISOString(), local: firingWords(slot, zone, now) });
    after = slot;
  }
  return { description: describeSchedule(schedule, zone, now), timezone: zone, next };
}
