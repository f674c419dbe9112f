import type { AppContext } from '../context';
import { assertUuid } from '../http/params';
import { type RawCampaignRow, toCampaign } from './rows';
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
  const row = await ctx.database.sql.begin(async (tx) => {
    const [campaign] = await tx<RawCampaignRow[]>`
      update campaigns set status = 'paused', paused_reason = ${reason}, updated_at = now()
      where id = ${id} and status in ('running', 'scheduled')
      returning *`;
    if (!campaign) throw await transitionError(tx, id, 'pause', 'running or scheduled');
    await tx`update runs set status = 'paused' where campaign_id = ${id} and status = 'running'`;
    return campaign;
  });
  ctx.logger.info({ campaignId: id, reason }, 'campaign paused');
  return toCampaign(row);
}
