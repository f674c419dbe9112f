import { and, eq, sql } from 'drizzle-orm';
import type { AppContext } from '../context';
import type { Db } from '../db/client';
import { campaigns, runs } from '../db/schema';
import { transaction } from '../db/transaction';
import { AppError } from '../errors';
import { assertUuid } from '../http/params';
import {
  type CampaignRow,
  capColumns,
  scheduleOf,
  toCampaign,
  windowColumns,
} from './campaign-json';
import {
  knownZoneSchedule,
  type ScheduleColumns,
  scheduleColumns,
  scheduleFromInput,
} from './create-campaign';
import { checkReferences } from './references';
import type { Campaign, UpdateCampaign } from './schemas';
import { assertSkipsAccepted } from './skip-rule';
import { queueWindowChange } from './window-change.job';

const EDITABLE: CampaignRow['status'][] = ['draft', 'scheduled', 'paused'];

/** Whether the campaign has opened a run (runs_campaign_slot_uq's prefix, one row at most). */
async function hasRun(db: Db, campaignId: string): Promise<boolean> {
  const [run] = await db
    .select({ id: runs.id })
    .from(runs)
    .where(eq(runs.campaignId, campaignId))
    .limit(1);
  return run !== undefined;
}

/**
 * Changes a draft, scheduled or paused campaign. A draft or scheduled one becomes `scheduled`
 * or `draft` as it has a schedule or not; a paused one stays paused, and its new schedule,
 * template and lists count once its current run is over (a run keeps what it was opened with).
 * A change that leaves it scheduled anew is checked for skips as a start is.
 */
export async function updateCampaign(
  ctx: AppContext,
  id: string,
  input: UpdateCampaign,
): Promise<Campaign> {
  assertUuid(id, 'Campaign');
  // before the row lock: it reads the zone names (once per service)
  const newSchedule = input.schedule
    ? await knownZoneSchedule(ctx.zoneNames, scheduleFromInput(input.schedule))
    : null;
  const row = await transaction(ctx.database, async (tx) => {
    const [current] = await tx.db
      .select()
      .from(campaigns)
      .where(eq(campaigns.id, id))
      .for('update');
    if (!current) throw AppError.notFound('Campaign', id);
    if (!EDITABLE.includes(current.status)) {
      throw new AppError(
        'invalid_transition',
        `cannot change campaign ${id}: it is ${current.status}, and changes need draft, scheduled or paused`,
      );
    }
    if (
      input.senderId !== undefined &&
      input.senderId !== current.senderId &&
      current.status === 'paused'
    ) {
      // A paused campaign may be in the middle of a run, which goes on through its sender.
      throw new AppError(
        'invalid_transition',
        `cannot move campaign ${id} to another sender while it is paused: senderId changes while draft or scheduled`,
      );
    }
    if (
      input.holdoutPercent !== undefined &&
      input.holdoutPercent !== current.holdoutPercent &&
      (await hasRun(tx.db, id))
    ) {
      // the holdout is the same people in every run: another share would mix the groups
      throw new AppError(
        'conflict',
        `cannot change campaign ${id}'s holdoutPercent: it has run, and its holdout group must stay the same people in every run (make a new campaign for another share)`,
      );
    }
    const schedule = input.schedule === undefined ? scheduleOf(current) : newSchedule;
    const columns: ScheduleColumns =
      input.schedule === undefined
        ? {
            scheduleAt: current.scheduleAt,
            scheduleCron: current.scheduleCron,
            scheduleTimezone: current.scheduleTimezone,
            scheduleLocalAt: current.scheduleLocalAt,
            nextRunAt: current.nextRunAt,
          }
        : scheduleColumns(schedule, ctx.config.MIN_SCHEDULE_INTERVAL_MINUTES);
    const status = current.status === 'paused' ? 'paused' : schedule ? 'scheduled' : 'draft';
    // What changes must exist; a campaign about to be scheduled needs all of its lists (a
    // draft's may have been deleted since: drafts do not hold their lists).
    await checkReferences(tx.db, {
      templateId: input.templateId,
      listIds: input.listIds ?? (status === 'scheduled' ? current.listIds : undefined),
      senderId: input.senderId,
    });
    // Scheduled anew, or its when or whom changed: it will fire with nobody watching.
    const rescheduled =
      current.status !== 'scheduled' ||
      input.schedule !== undefined ||
      input.templateId !== undefined ||
      input.listIds !== undefined;
    if (status === 'scheduled' && rescheduled) {
      const templateId = input.templateId ?? current.templateId;
      const listIds = input.listIds ?? current.listIds;
      await assertSkipsAccepted(
        ctx,
        tx,
        { id, templateId, listIds },
        'schedule',
        input.acceptSkips,
      );
    }
    const [updated] = await tx.db
      .update(campaigns)
      .set({
        name: input.name ?? current.name,
        templateId: input.templateId ?? current.templateId,
        listIds: input.listIds ?? current.listIds,
        senderId: input.senderId ?? current.senderId,
        ...columns,
        ratePerSecond:
          input.ratePerSecond === undefined ? current.ratePerSecond : input.ratePerSecond,
        followUpBody:
          input.followUp === undefined ? current.followUpBody : (input.followUp?.body ?? null),
        ...capColumns(input.frequencyCap),
        ...windowColumns(input.sendWindow),
        holdoutPercent: input.holdoutPercent ?? current.holdoutPercent,
        status,
        updatedAt: sql`now()`,
      })
      .where(and(eq(campaigns.id, id), eq(campaigns.status, current.status)))
      .returning();
    if (!updated) throw new Error(`campaign ${id} changed under its row lock`);
    // rows already waiting are placed again by the new window, after the answer (a run may hold
    // a million of them)
    if (input.sendWindow !== undefined) {
      const quietHours = ctx.config.QUIET_HOURS;
      const queued = await queueWindowChange(
        ctx,
        tx,
        id,
        { setting: current, quietHours },
        { setting: updated, quietHours },
      );
      if (queued > 0)
        ctx.logger.info(
          { campaignId: id, runs: queued },
          'send window changed: rows to place again',
        );
    }
    return updated;
  });
  return toCampaign(row);
}
