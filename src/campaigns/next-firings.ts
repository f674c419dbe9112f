import type { ZoneNames } from '../delivery/recipient-zone';
import { AppError } from '../errors';
import { fieldErrors } from '../http/problem';
import { knownZoneSchedule, scheduleFromInput, scheduleProblem } from './create-campaign';
import { nextSlot, type Schedule, UNKNOWN_ZONE } from './schedule';
import type { NextFiringsQuery, ScheduleFirings } from './schedule-schemas';
import { describeSchedule, firingWords } from './schedule-words';
import { ScheduleInput } from './schemas';

/**
 * GET /v1/schedules/next: when a schedule would fire, in words, before any campaign has it. The
 * schedule is checked as a campaign's is (the same schema, the same unusable-schedule checks), so
 * a pattern the console shows times for is one the campaign will take, and one it refuses comes
 * with the campaign's error.
 */
export async function nextFirings(
  query: NextFiringsQuery,
  minIntervalMinutes: number,
  zoneNames: Pick<ZoneNames, 'canonical'>,
  now = new Date(),
): Promise<ScheduleFirings> {
  const parsed = ScheduleInput.safeParse({
    at: query.at,
    cron: query.cron,
    timezone: query.timezone,
    ...(query.localTime === 'true' ? { localTime: true } : {}),
  });
  if (!parsed.success) {
    const errors = fieldErrors(parsed.error);
    return { description: null, timezone: query.timezone ?? 'UTC', next: [], errors };
  }
  let schedule: Schedule;
  try {
    schedule = await knownZoneSchedule(zoneNames, scheduleFromInput(parsed.data));
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    const errors = [{ path: 'timezone', message: UNKNOWN_ZONE }];
    return { description: null, timezone: query.timezone ?? 'UTC', next: [], errors };
  }
  // the zone as the campaign will store it (Europe/Paris for europe/paris)
  const zone = schedule.timezone ?? 'UTC';
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
