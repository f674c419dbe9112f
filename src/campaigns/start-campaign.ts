import type { AppContext } from '../context';
import { assertUuid } from '../http/params';
import { openRun } from './open-run';
import type { LaunchBody } from './preview-schemas';
import { checkReferences } from './references';
import { type RawCampaignRow, toCampaign } from './rows';
import type { Campaign } from './schemas';
import { assertSkipsAccepted } from './skip-rule';
import { transitionError } from './transition';

/**
 * Runs a draft or scheduled campaign now, unless its preview skips too many (`too_many_skips`). A one-off schedule is used up by it (nextRunAt
 * cleared); a cron campaign keeps its next slot and goes back to `scheduled` after this run.
 */
export async function startCampaign(
  ctx: AppContext,
  id: string,
  input: LaunchBody = {},
): Promise<Campaign> {
  assertUuid(id, 'Campaign');
  const row = await ctx.database.sql.begin(async (tx) => {
    const [campaign] = await tx<RawCampaignRow[]>`
      update campaigns
      set status = 'running', last_run_at = now(), updated_at = now(), paused_reason = null,
        next_run_at = case when schedule_cron is not null then next_run_at end
      where id = ${id} and status in ('draft', 'scheduled')
      returning *`;
    if (!campaign) throw await transitionError(tx, id, 'start', 'draft or scheduled');
    // A draft's list may have been deleted since (drafts do not hold their lists; a template
    // in use by an unfinished campaign cannot be deleted).
    await checkReferences(tx, { listIds: campaign.list_ids });
    const launched = { id, templateId: campaign.template_id, listIds: campaign.list_ids };
    await assertSkipsAccepted(ctx, tx, launched, 'start', input.acceptSkips);
    const run = await openRun(ctx, tx, id, new Date());
    if (!run) throw new Error(`a run of campaign ${id} already exists for this very millisecond`);
    return campaign;
  });
  ctx.logger.info({ campaignId: id }, 'campaign started by request');
  return toCampaign(row);
}
