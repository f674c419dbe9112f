import { and, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import type { AppContext } from '../context';
import { campaigns } from '../db/schema';
import { transaction } from '../db/transaction';
import { assertUuid } from '../http/params';
import { toCampaign } from './campaign-json';
import { openRun } from './open-run';
import type { LaunchBody } from './preview-schemas';
import { checkReferences } from './references';
import type { Campaign } from './schemas';
import { assertSkipsAccepted } from './skip-rule';
import { assertTemplateSendable } from './template-rule';
import { transitionError } from './transition';

/**
 * Runs a draft or scheduled campaign now, unless its template cannot be sent through its sender
 * (`template_not_approved`, `template_parameters_unset`: template-rule.ts) or its preview skips
 * too many (`too_many_skips`). A one-off schedule is used up by it (nextRunAt
 * cleared); a cron campaign keeps its next slot and goes back to `scheduled` after this run.
 */
export async function startCampaign(
  ctx: AppContext,
  id: string,
  input: LaunchBody = {},
): Promise<Campaign> {
  assertUuid(id, 'Campaign');
  const row = await transaction(ctx.database, async (tx) => {
    const [campaign] = await tx.db
      .update(campaigns)
      .set({
        status: 'running',
        lastRunAt: sql`now()`,
        updatedAt: sql`now()`,
        pausedReason: null,
        nextRunAt: sql`case when ${isNotNull(campaigns.scheduleCron)} then ${campaigns.nextRunAt} end`,
      })
      .where(and(eq(campaigns.id, id), inArray(campaigns.status, ['draft', 'scheduled'])))
      .returning();
    if (!campaign) throw await transitionError(tx.db, id, 'start', 'draft or scheduled');
    // A draft's list may have been deleted since (drafts do not hold their lists; a template
    // in use by an unfinished campaign cannot be deleted).
    await checkReferences(tx.db, { listIds: campaign.listIds });
    await assertTemplateSendable(tx.db, campaign);
    const launched = { id, templateId: campaign.templateId, listIds: campaign.listIds };
    await assertSkipsAccepted(ctx, tx, launched, 'start', input.acceptSkips);
    const run = await openRun(ctx, tx, campaign, new Date());
    if (!run) throw new Error(`a run of campaign ${id} already exists for this very millisecond`);
    return campaign;
  });
  ctx.logger.info({ campaignId: id }, 'campaign started by request');
  return toCampaign(row);
}
