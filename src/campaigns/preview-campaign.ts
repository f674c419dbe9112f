import type { AppContext } from '../context';
import { recipientsLast24h } from '../sending/safety';
import { audienceFigures, renderedSample } from './audience-figures';
import { estimate } from './preview-estimate';
import type { Preview } from './preview-schemas';
import { campaignRow, type RawCampaignRow } from './rows';
import { sharePercent, templateParameters, tooManySkips } from './skip-rule';
import { campaignId, transitionError } from './transition';

const SAMPLE_SIZE = 3;

/**
 * GET /v1/campaigns/{id}/preview: what a run of this campaign opened now would do, computed in
 * PostgreSQL by the snapshot's own audience merge and renderer, writing nothing. A draft,
 * scheduled or paused campaign only: a running one shows its run's stats instead.
 */
export async function previewCampaign(ctx: AppContext, id: string): Promise<Preview> {
  campaignId(id);
  const { sql } = ctx.database;
  const [raw] = await sql<RawCampaignRow[]>`
    select * from campaigns where id = ${id} and status in ('draft', 'scheduled', 'paused')`;
  if (!raw) throw await transitionError(sql, id, 'preview', 'draft, scheduled or paused');
  const campaign = campaignRow(raw);
  const parameters = await templateParameters(sql, campaign.template_id);
  const [figures, sample, usedLast24h, lists] = await Promise.all([
    audienceFigures(sql, campaign.list_ids, parameters, ctx.config.TEMPLATE_PARAMETER_MAX_CHARS),
    renderedSample(
      sql,
      campaign.list_ids,
      parameters,
      ctx.config.TEMPLATE_PARAMETER_MAX_CHARS,
      SAMPLE_SIZE,
    ),
    recipientsLast24h(ctx.database.db),
    sql<{ id: string }[]>`select id from lists where id = any(${campaign.list_ids}::uuid[])`,
  ]);
  const eligible = figures.audience - figures.skipped;
  const skipProblem = tooManySkips(figures, ctx.config.MAX_SKIPPED_PERCENT);
  const known = new Set(lists.map((list) => list.id));
  const missingLists = campaign.list_ids.filter((listId) => !known.has(listId));
  const plan = estimate({
    campaign,
    figures,
    eligible,
    usedLast24h,
    config: ctx.config,
    now: new Date(),
  });
  const warnings = [
    ...missingLists.map((listId) => `list ${listId} no longer exists: starting would be refused`),
    ...plan.warnings,
    ...(skipProblem ? [`starting or scheduling needs {"acceptSkips": true}: ${skipProblem}`] : []),
  ];
  return {
    audience: figures.audience,
    eligible,
    skipped: figures.skipped,
    skippedPercent: sharePercent(figures.skipped, figures.audience),
    acceptSkipsRequired: skipProblem !== undefined,
    duplicates: figures.memberships - figures.contacts,
    optedOut: figures.optedOut,
    skippedByAttribute: figures.skippedByAttribute,
    sample,
    estimatedStart: plan.start.toISOString(),
    estimatedFinish: plan.finish.toISOString(),
    pacePerSecond: plan.pacePerSecond,
    messagingLimit: {
      limit: ctx.config.MESSAGING_LIMIT_24H ?? null,
      usedLast24h,
      needed: eligible,
    },
    warnings,
  };
}
