import { and, eq, inArray, sql } from 'drizzle-orm';
import type { AppContext } from '../context';
import { campaigns, runs } from '../db/schema';
import { transaction } from '../db/transaction';
import { assertUuid } from '../http/params';
import { toCampaign } from './campaign-json';
import type { Campaign } from './schemas';
import { transitionError } from './transition';

export const PAUSED_BY_REQUEST = 'paused by request';

/**
 * Pauses a running campaign and its run: the dispatcher sends only the pending rows of runs
 * whose status is `running`, so from this commit on nothing new goes out (a send already in
 * flight finishes). A scheduled campaign keeps its schedule and fires nothing while paused: the
 * scheduler fires `scheduled` campaigns only. A scheduler firing it meanwhile holds its row
 * lock; this update then finds it `running` and pauses the new run too.
 */
export async function pauseCampaign(
  ctx: AppContext,
  id: string,
  reason = PAUSED_BY_REQUEST,
): Promise<Campaign> {
  assertUuid(id, 'Campaign');
  const row = await transaction(ctx.database, async ({ db }) => {
    const [campaign] = await db
      .update(campaigns)
      .set({ status: 'paused', pausedReason: reason, updatedAt: sql`now()` })
      .where(and(eq(campaigns.id, id), inArray(campaigns.status, ['running', 'scheduled'])))
      .returning();
    if (!campaign) throw await transitionError(db, id, 'pause', 'running or scheduled');
    await db
      .update(runs)
      .set({ status: 'paused' })
      .where(and(eq(runs.campaignId, id), eq(runs.status, 'running')));
    return campaign;
  });
  ctx.logger.info({ campaignId: id, reason }, 'campaign paused');
  return toCampaign(row);
}
