import type { AppContext } from '../context';
import { assertUuid } from '../http/params';
import { type RawCampaignRow, toCampaign } from './rows';
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
  const row = await ctx.database.sql.begin(async (tx) => {
    const [campaign] = await tx<RawCampaignRow[]>`
      update campaigns set status = 'cancelled', next_run_at = null, updated_at = now()
      where id = ${id} and status not in ('completed', 'cancelled')
      returning *`;
    if (!campaign) throw await transitionError(tx, id, 'cancel', 'a campaign not yet finished');
    // Run first, then its rows: a snapshot batch holds the run row, so this waits for it and
    // the update below sees every row that batch inserted.
    const cancelled = await tx<{ id: string }[]>`
      update runs set status = 'cancelled', finished_at = now()
      where campaign_id = ${id} and status in ('running', 'paused')
      returning id`;
    if (cancelled.length > 0) {
      await tx`
        update messages set status = 'skipped', error = 'cancelled', updated_at = now()
        where campaign_id = ${id} and run_id = any(${cancelled.map((run) => run.id)}::uuid[])
          and status = 'pending'`;
    }
    // (kind and status first: the partial index of pending follow-ups serves it)
    await tx`
      update messages set status = 'skipped', error = 'cancelled', updated_at = now()
      where kind <> 'template' and status = 'pending' and campaign_id = ${id}`;
    return campaign;
  });
  ctx.logger.info({ campaignId: id }, 'campaign cancelled');
  return toCampaign(row);
}
