import type { AppContext } from '../context';
import { kickDispatch } from '../sending/dispatch.job';
import { completeRunIfDone } from './complete-run';
import { type RawCampaignRow, toCampaign } from './rows';
import type { Campaign } from './schemas';
import { campaignId, transitionError } from './transition';

/** Resumes a paused campaign: its run is `running` again and its pending rows go out. */
export async function resumeCampaign(ctx: AppContext, id: string): Promise<Campaign> {
  campaignId(id);
  const { row, runIds } = await ctx.database.sql.begin(async (tx) => {
    const [campaign] = await tx<RawCampaignRow[]>`
      update campaigns set status = 'running', paused_reason = null, updated_at = now()
      where id = ${id} and status = 'paused'
      returning *`;
    if (!campaign) throw await transitionError(tx, id, 'resume', 'paused');
    const resumed = await tx<{ id: string }[]>`
      update runs set status = 'running' where campaign_id = ${id} and status = 'paused'
      returning id`;
    return { row: campaign, runIds: resumed.map((run) => run.id) };
  });
  ctx.logger.info({ campaignId: id }, 'campaign resumed');
  // A run whose last message settled while it was paused has nobody else to finish it.
  let finished = false;
  for (const runId of runIds) {
    const completed = await completeRunIfDone(ctx, runId);
    if (!completed) await kickDispatch(ctx, runId);
    finished = completed || finished;
  }
  return finished ? toCampaign(await reload(ctx, id)) : toCampaign(row);
}

async function reload(ctx: AppContext, id: string): Promise<RawCampaignRow> {
  const [row] = await ctx.database.sql<RawCampaignRow[]>`select * from campaigns where id = ${id}`;
  if (!row) throw new Error(`campaign ${id} vanished`);
  return row;
}
