import { and, eq, inArray, type SQL, sql } from 'drizzle-orm';
import type { AppContext } from '../context';
import { campaigns, runs } from '../db/schema';
import { type Builder, transaction } from '../db/transaction';
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
    const [campaign] = await pauseWhere(db, eq(campaigns.id, id), reason);
    if (!campaign) throw await transitionError(db, id, 'pause', 'running or scheduled');
    return campaign;
  });
  ctx.logger.info({ campaignId: id, reason }, 'campaign paused');
  return toCampaign(row);
}

/**
 * Pauses, in the caller's transaction, every running or scheduled campaign that uses one of
 * `templateIds` (Meta paused, disabled or rejected it: docs/design.md, rule 14), as
 * pauseCampaign pauses one; answers the campaigns paused.
 */
export async function pauseCampaignsUsingTemplates(
  db: Builder,
  templateIds: string[],
  reason: string,
): Promise<string[]> {
  if (templateIds.length === 0) return [];
  const paused = await pauseWhere(db, inArray(campaigns.templateId, templateIds), reason);
  return paused.map((campaign) => campaign.id);
}

/** The one way a campaign is paused: it, and its running run, with the reason. */
async function pauseWhere(db: Builder, which: SQL, reason: string) {
  const paused = await db
    .update(campaigns)
    .set({ status: 'paused', pausedReason: reason, updatedAt: sql`now()` })
    .where(and(which, inArray(campaigns.status, ['running', 'scheduled'])))
    .returning();
  if (paused.length > 0) {
    await db
      .update(runs)
      .set({ status: 'paused' })
      .where(
        and(
          inArray(
            runs.campaignId,
            paused.map((campaign) => campaign.id),
          ),
          eq(runs.status, 'running'),
        ),
      );
  }
  return paused;
}
