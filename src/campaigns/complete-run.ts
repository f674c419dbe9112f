import { and, eq, getTableColumns, inArray, isNotNull, notExists, sql } from 'drizzle-orm';
import type { AppContext } from '../context';
import { campaigns, messages, runs } from '../db/schema';
import { type Builder, transaction } from '../db/transaction';
import { type CampaignRow, scheduleOf } from './campaign-json';
import { recordMissedRun } from './open-run';
import { latestDueSlot, nextSlot } from './schedule';

/**
 * Marks a run completed when it is `running`, its snapshot is done and none of its template
 * messages is `pending` or `sending`, and moves its campaign on. Safe to call any number of
 * times from anywhere (the snapshot job, the dispatcher after a run's last outcome, resume):
 * the conditional update lets one caller win. Returns whether this call completed the run.
 */
export async function completeRunIfDone(ctx: AppContext, runId: string): Promise<boolean> {
  const done = await transaction(ctx.database, async ({ db }) => {
    // Campaign row first, as every lifecycle verb locks it: pause, cancel and this never deadlock.
    const [campaign] = await db
      .select(getTableColumns(campaigns))
      .from(campaigns)
      .innerJoin(runs, eq(runs.campaignId, campaigns.id))
      .where(eq(runs.id, runId))
      .for('update', { of: campaigns });
    if (!campaign) return false;
    const unsettled = db
      .select({ one: sql`1` })
      .from(messages)
      .where(
        and(
          eq(messages.campaignId, campaign.id),
          eq(messages.runId, runId),
          eq(messages.kind, 'template'),
          inArray(messages.status, ['pending', 'sending']),
        ),
      );
    const [run] = await db
      .update(runs)
      .set({ status: 'completed', finishedAt: sql`now()` })
      .where(
        and(
          eq(runs.id, runId),
          eq(runs.status, 'running'),
          isNotNull(runs.snapshotDoneAt),
          notExists(unsettled),
        ),
      )
      .returning({ id: runs.id });
    if (!run) return false;
    if (campaign.status === 'running') await moveCampaignOn(db, campaign);
    return true;
  });
  if (done) ctx.logger.info({ runId }, 'run completed');
  return done;
}

/**
 * After its run: a cron campaign is `scheduled` for its next future slot, a campaign with a
 * one-off slot still ahead (set while it ran) is `scheduled` for it, any other is `completed`.
 * A slot that came while the run was busy is recorded `missed`, never run concurrently
 * (docs/decisions.md).
 */
async function moveCampaignOn(db: Builder, campaign: CampaignRow): Promise<void> {
  const now = new Date();
  const schedule = scheduleOf(campaign);
  let next = campaign.nextRunAt;
  if (schedule && next && next <= now) {
    await recordMissedRun(db, campaign.id, latestDueSlot(schedule, next, now));
    next = nextSlot(schedule, now);
  }
  await db
    .update(campaigns)
    .set({ status: next ? 'scheduled' : 'completed', nextRunAt: next, updatedAt: sql`now()` })
    .where(and(eq(campaigns.id, campaign.id), eq(campaigns.status, 'running')));
}
