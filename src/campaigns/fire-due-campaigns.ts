import type { AppContext } from '../context';
import { openRun, recordMissedRun } from './open-run';
import { campaignRow, parseTs, type RawCampaignRow, scheduleOf, ts } from './rows';
import { latestDueSlot, slotAfterFiring } from './schedule';

/** However small MISSED_RUN_GRACE_MINUTES is, the scheduler's own latency is never "missed". */
export const MIN_GRACE_MS = 10_000;

/**
 * Fires the campaigns that are due, each in its own transaction, and returns when the next one
 * not yet due (within `lookaheadMs`) falls due, so that the loop can sleep until exactly then.
 */
export async function fireDueCampaigns(
  ctx: AppContext,
  lookaheadMs: number,
  onFired: (runId: string) => void = () => {},
): Promise<Date | undefined> {
  const now = new Date();
  const soon = await ctx.database.sql<{ id: string; next_run_at: string }[]>`
    select id, next_run_at from campaigns
    where status = 'scheduled' and next_run_at <= ${ts(new Date(now.getTime() + lookaheadMs))}
    order by next_run_at limit 100`;
  for (const campaign of soon) {
    const due = parseTs(campaign.next_run_at);
    if (due && due > now) return due;
    try {
      const runId = await fireCampaign(ctx, campaign.id);
      if (runId) onFired(runId);
    } catch (error) {
      // One broken campaign must not hold back the others due in the same tick.
      ctx.logger.error({ err: error, campaignId: campaign.id }, 'campaign failed to fire');
    }
  }
  return undefined;
}

/**
 * Fires one due campaign exactly once, however many schedulers race for it: the row lock with
 * SKIP LOCKED lets one of them in, the re-checked condition turns away those that come after its
 * commit, and the unique (campaign_id, scheduled_for) key would refuse a second run of the slot
 * anyway. The slot is the one croner named, not the moment this code runs.
 */
export async function fireCampaign(ctx: AppContext, id: string): Promise<string | undefined> {
  const outcome = await ctx.database.sql.begin(async (tx) => {
    const now = new Date();
    const [raw] = await tx<RawCampaignRow[]>`
      select * from campaigns
      where id = ${id} and status = 'scheduled' and next_run_at <= ${ts(now)}
      for update skip locked`;
    const campaign = raw && campaignRow(raw);
    const schedule = campaign && scheduleOf(campaign);
    if (!campaign?.next_run_at || !schedule) return undefined;
    const slot = latestDueSlot(schedule, campaign.next_run_at, now);
    const minGapMs = ctx.config.MIN_SCHEDULE_INTERVAL_MINUTES * 60_000;
    const next = 'cron' in schedule ? slotAfterFiring(schedule, slot, now, minGapMs) : null;
    const lateMs = now.getTime() - slot.getTime();
    const graceMs = Math.max(ctx.config.MISSED_RUN_GRACE_MINUTES * 60_000, MIN_GRACE_MS);
    const run = lateMs < graceMs ? await openRun(ctx, tx, id, slot) : undefined;
    if (run) {
      await tx`
        update campaigns
        set status = 'running', last_run_at = now(), next_run_at = ${ts(next)}, updated_at = now()
        where id = ${id}`;
      return { fired: true, slot, lateMs, runId: run.id };
    }
    // Too late to be welcome (or, defensively, a slot that already has its run).
    await recordMissedRun(tx, id, slot);
    await tx`
      update campaigns
      set status = ${next ? 'scheduled' : 'completed'}, next_run_at = ${ts(next)}, updated_at = now()
      where id = ${id}`;
    return { fired: false, slot, lateMs, runId: undefined };
  });
  if (!outcome) return undefined;
  const log = { campaignId: id, runId: outcome.runId, slot: outcome.slot, lateMs: outcome.lateMs };
  if (outcome.fired) ctx.logger.info(log, 'campaign fired');
  else ctx.logger.warn(log, 'slot missed: later than MISSED_RUN_GRACE_MINUTES');
  return outcome.runId;
}
