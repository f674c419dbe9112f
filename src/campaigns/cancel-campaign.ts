import { and, eq, inArray, ne, notInArray, sql } from 'drizzle-orm';
import type { AppContext } from '../context';
import { campaigns, messages, runs } from '../db/schema';
import { transaction } from '../db/transaction';
import { assertUuid } from '../http/params';
import { toCampaign } from './campaign-json';
import type { Campaign } from './schemas';
import { transitionError } from './transition';

/**
 * Cancels a campaign that is not finished: its active run ends `cancelled` and the rows not yet
 * handed to the provider (`pending`) become `skipped` with error `cancelled`, and so do the
 * follow-ups still waiting from its earlier runs (a recurring campaign between runs); no
 * follow-up is queued after this. A row already `sending` is left to the dispatcher, which
 * records its real outcome.
 */
export async function cancelCampaign(ctx: AppContext, id: string): Promise<Campaign> {
  assertUuid(id, 'Campaign');
  const row = await transaction(ctx.database, async ({ db }) => {
    const [campaign] = await db
      .update(campaigns)
      .set({ status: 'cancelled', nextRunAt: null, updatedAt: sql`now()` })
      .where(and(eq(campaigns.id, id), notInArray(campaigns.status, ['completed', 'cancelled'])))
      .returning();
    if (!campaign) throw await transitionError(db, id, 'cancel', 'a campaign not yet finished');
    // Run first, then its rows: a snapshot batch holds the run row, so this waits for it and
    // the update below sees every row that batch inserted.
    const cancelled = await db
      .update(runs)
      .set({ status: 'cancelled', finishedAt: sql`now()` })
      .where(and(eq(runs.campaignId, id), inArray(runs.status, ['running', 'paused'])))
      .returning({ id: runs.id });
    const skipped = { status: 'skipped', error: 'cancelled', updatedAt: sql`now()` } as const;
    if (cancelled.length > 0) {
      await db
        .update(messages)
        .set(skipped)
        .where(
          and(
            eq(messages.campaignId, id),
            inArray(
              messages.runId,
              cancelled.map((run) => run.id),
            ),
            eq(messages.status, 'pending'),
          ),
        );
    }
    // (kind and status first: the partial index of pending follow-ups serves it)
    await db
      .update(messages)
      .set(skipped)
      .where(
        and(
          ne(messages.kind, 'template'),
          eq(messages.status, 'pending'),
          eq(messages.campaignId, id),
        ),
      );
    return campaign;
  });
  ctx.logger.info({ campaignId: id }, 'campaign cancelled');
  return toCampaign(row);
}
