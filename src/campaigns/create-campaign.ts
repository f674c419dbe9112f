import type { AppContext } from '../context';
import { campaigns } from '../db/schema';
import { transaction } from '../db/transaction';
import type { ZoneNames } from '../delivery/recipient-zone';
import { AppError } from '../errors';
import { type CampaignRow, capColumns, toCampaign, windowColumns } from './campaign-json';
import { checkReferences } from './references';
import {
  firingsTooClose,
  firstZoneInstant,
  nextSlot,
  resolveAt,
  type Schedule,
  UNKNOWN_ZONE,
} from './schedule';
import type { Campaign, CreateCampaign, ScheduleInput } from './schemas';
import { assertSkipsAccepted } from './skip-rule';

export function scheduleFromInput(input: ScheduleInput): Schedule {
  if (input.at !== undefined && input.localTime)
    return {
      at: firstZoneInstant(input.at),
      localAt: input.at,
      ...(input.timezone ? { timezone: input.timezone } : {}),
    };
  if (input.at !== undefined) {
    const at = resolveAt(input.at, input.timezone);
    if (!('instant' in at)) throw new Error(`schedule.${at.path} passed validation: ${at.message}`);
    return { at: at.instant, ...(input.timezone ? { timezone: input.timezone } : {}) };
  }
  return { cron: input.cron ?? '', timezone: input.timezone ?? 'UTC' };
}

export type ScheduleColumns = Pick<
  CampaignRow,
  'scheduleAt' | 'scheduleCron' | 'scheduleTimezone' | 'scheduleLocalAt' | 'nextRunAt'
>;

/**
 * What makes a schedule that passed its schema unusable, and in which of its fields: no slot
 * left (an `at` that passed since the request was validated, after waiting for a row lock, would
 * leave the campaign `scheduled` with nothing to fire, for good), or a pattern that fires sooner
 * than `minIntervalMinutes` after its previous firing.
 */
export function scheduleProblem(
  schedule: Schedule,
  minIntervalMinutes: number,
  now = new Date(),
): { field: 'at' | 'cron'; message: string } | undefined {
  if (!nextSlot(schedule, now))
    return { field: 'at' in schedule ? 'at' : 'cron', message: 'no run left to fire' };
  if (!('cron' in schedule)) return undefined;
  const pair = firingsTooClose(schedule.cron, schedule.timezone, minIntervalMinutes * 60_000, now);
  if (!pair) return undefined;
  const [first, second] = pair;
  const gapSeconds = (second.getTime() - first.getTime()) / 1000;
  const gap = gapSeconds < 60 ? `${gapSeconds} s` : `${gapSeconds / 60} min`;
  const message =
    `fires at ${first.toISOString()} and again ${gap} later; two firings must be at least ` +
    `${minIntervalMinutes} minutes apart (MIN_SCHEDULE_INTERVAL_MINUTES)`;
  return { field: 'cron', message };
}

/** The schedule columns of a campaign and its first slot; an unusable schedule is a 422. */
export function scheduleColumns(
  schedule: Schedule | null,
  minIntervalMinutes: number,
  now = new Date(),
): ScheduleColumns {
  const problem = schedule && scheduleProblem(schedule, minIntervalMinutes, now);
  if (problem) {
    const path = `schedule.${problem.field}`;
    const detail =
      problem.message === 'no run left to fire'
        ? 'the schedule has no run left to fire'
        : problem.message;
    throw new AppError('validation_failed', `${path}: ${detail}`, [
      { path, message: problem.message },
    ]);
  }
  const next = schedule ? nextSlot(schedule, now) : null;
  return {
    scheduleAt: schedule && 'at' in schedule ? schedule.at : null,
    scheduleCron: schedule && 'cron' in schedule ? schedule.cron : null,
    scheduleTimezone: schedule?.timezone ?? null,
    scheduleLocalAt: schedule && 'at' in schedule ? (schedule.localAt ?? null) : null,
    nextRunAt: next,
  };
}

/**
 * The schedule with its zone as PostgreSQL spells it (`europe/paris`: Europe/Paris), for the
 * preview and the snapshot read it there; a zone PostgreSQL does not count is a 422, though Intl
 * took it in the schema (Node reads `US/Pacific-New` and `SystemV/EST5`, PostgreSQL does not).
 */
export async function knownZoneSchedule(
  zoneNames: Pick<ZoneNames, 'canonical'>,
  schedule: Schedule,
): Promise<Schedule> {
  if (schedule.timezone === undefined) return schedule;
  const zone = await zoneNames.canonical(schedule.timezone);
  if (zone) return { ...schedule, timezone: zone };
  const path = 'schedule.timezone';
  throw new AppError('validation_failed', `${path}: ${schedule.timezone} ${UNKNOWN_ZONE}`, [
    { path, message: UNKNOWN_ZONE },
  ]);
}

/**
 * A campaign is a `draft` without a schedule, else `scheduled` with its first slot (and checked
 * for skips as a start is: it will fire with nobody watching).
 */
export async function createCampaign(ctx: AppContext, input: CreateCampaign): Promise<Campaign> {
  const schedule = input.schedule
    ? await knownZoneSchedule(ctx.zoneNames, scheduleFromInput(input.schedule))
    : null;
  const columns = scheduleColumns(schedule, ctx.config.MIN_SCHEDULE_INTERVAL_MINUTES);
  const row = await transaction(ctx.database, async (tx) => {
    await checkReferences(tx.db, {
      templateId: input.templateId,
      listIds: input.listIds,
      senderId: input.senderId,
    });
    if (schedule) await assertSkipsAccepted(ctx, tx, input, 'schedule', input.acceptSkips);
    const [inserted] = await tx.db
      .insert(campaigns)
      .values({
        name: input.name,
        status: schedule ? 'scheduled' : 'draft',
        templateId: input.templateId,
        listIds: input.listIds,
        // Without one, the column's default: the default sender now (docs/design.md, rule 31).
        ...(input.senderId === undefined ? {} : { senderId: input.senderId }),
        ...columns,
        ratePerSecond: input.ratePerSecond ?? null,
        followUpBody: input.followUp?.body ?? null,
        ...capColumns(input.frequencyCap),
        ...windowColumns(input.sendWindow),
        holdoutPercent: input.holdoutPercent ?? 0,
      })
      .returning();
    return inserted;
  });
  if (!row) throw new Error('insert into campaigns returned no row');
  return toCampaign(row);
}
