import { and, asc, eq, lte, sql } from 'drizzle-orm';
import type { AppContext } from '../context';
import { campaigns } from '../db/schema';
import { transaction } from '../db/transaction';
import { scheduleOf } from './campaign-json';
import { openRun, recordMissedRun } from './open-run';
import { latestDueSlot, slotAfterFiring } from './schedule';
import { templateProblem } from './template-rule';

/** A paused campaign's reason is read in lists and on its page: a few lines at most. */
const PAUSED_REASON_MAX_CHARS = 1000;

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
  const soon = await ctx.database.db
    .select({ id: campaigns.id, nextRunAt: campaigns.nextRunAt })
    .from(campaigns)
    .where(
      and(
        eq(campaigns.status, 'scheduled'),
        lte(campaigns.nextRunAt, new Date(now.getTime() + lookaheadMs)),
      ),
    )
    .orderBy(asc(campaigns.nextRunAt))
    .limit(100);
  for (const campaign of soon) {
    const due = campaign.nextRunAt;
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
  const outcome = await transaction(ctx.database, async (tx) => {
    const now = new Date();
    const [campaign] = await tx.db
      .select()
      .from(campaigns)
      .where(
        and(eq(campaigns.id, id), eq(campaigns.status, 'scheduled'), lte(campaigns.nextRunAt, now)),
      )
      .for('update', { skipLocked: true });
    const schedule = campaign && scheduleOf(campaign);
    if (!campaign?.nextRunAt || !schedule) return undefined;
    const slot = latestDueSlot(schedule, campaign.nextRunAt, now);
    const minGapMs = ctx.config.MIN_SCHEDULE_INTERVAL_MINUTES * 60_000;
    const next = 'cron' in schedule ? slotAfterFiring(schedule, slot, now, minGapMs) : null;
    const lateMs = now.getTime() - slot.getTime();
    // A template Meta does not approve (any more), or whose parameters are unset, is not sent:
    // the campaign pauses with the reason, keeping its schedule, as a person's pause does.
    const problem = await templateProblem(tx.db, campaign);
    if (problem) {
      await tx.db
        .update(campaigns)
        .set({
          status: 'paused',
          pausedReason: `its run of ${slot.toISOString()} did not fire: ${problem.message}`.slice(
            0,
            PAUSED_REASON_MAX_CHARS,
          ),
          nextRunAt: next,
          updatedAt: sql`now()`,
        })
        .where(eq(campaigns.id, id));
      return { fired: false, slot, lateMs, runId: undefined, refused: problem.message };
    }
    const graceMs = Math.max(ctx.config.MISSED_RUN_GRACE_MINUTES * 60_000, MIN_GRACE_MS);
    const run =
      lateMs < graceMs
        ? await openRun(ctx, tx, campaign, slot, campaign.scheduleLocalAt)
        : undefined;
    if (run) {
      await tx.db
        .update(campaigns)
        .set({ status: 'running', lastRunAt: sql`now()`, nextRunAt: next, updatedAt: sql`now()` })
        .where(eq(campaigns.id, id));
      return { fired: true, slot, lateMs, runId: run.id, refused: undefined };
    }
    // Too late to be welcome (or, defensively, a slot that already has its run).
    await recordMissedRun(tx.db, id, slot);
    await tx.db
      .update(campaigns)
      .set({ status: next ? 'scheduled' : 'completed', nextRunAt: next, updatedAt: sql`now()` })
      .where(eq(campaigns.id, id));
    return { fired: false, slot, lateMs, runId: undefined, refused: undefined };
  });
  if (!outcome) return undefined;
  const log = { campaignId: id, runId: outcome.runId, slot: outcome.slot, lateMs: outcome.lateMs };
  if (outcome.refused)
    ctx.logger.warn(
      { ...log, reason: outcome.refused },
      'campaign paused: its template cannot be sent',
    );
  else if (outcome.fired) ctx.logger.info(log, 'campaign fired');
  else ctx.logger.warn(log, 'slot missed: later than MISSED_RUN_GRACE_MINUTES');
  return outcome.runId;
}
