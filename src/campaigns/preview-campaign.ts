import { and, eq, inArray } from 'drizzle-orm';
import type { AppContext } from '../context';
import { campaigns, lists, templates } from '../db/schema';
import { appliedWindow } from '../delivery/send-window';
import { assertUuid } from '../http/params';
import { recipientsLast24h } from '../sending/safety';
import { audienceFigures } from './audience-figures';
import { type CampaignZone, campaignZone, windowSettingOf } from './campaign-json';
import { previewCost } from './preview-cost';
import { estimate } from './preview-estimate';
import { deliveryPolicy, eligibleByZone, sendPlanFigures } from './preview-plan';
import type { Preview } from './preview-schemas';
import { renderedSample } from './queries';
import { sharePercent, templateParameters, tooManySkips } from './skip-rule';
import { templateProblem } from './template-rule';
import { transitionError } from './transition';

/** The zone of a campaign whose rows are placed in no zone (no window, no local time). */
const UNZONED: CampaignZone = { zone: 'UTC', unknown: null };

const SAMPLE_SIZE = 3;

/**
 * GET /v1/campaigns/{id}/preview: what a run of this campaign opened now would do, computed in
 * PostgreSQL by the snapshot's own audience merge and renderer, writing nothing. A draft,
 * scheduled or paused campaign only: a running one shows its run's stats instead.
 */
export async function previewCampaign(ctx: AppContext, id: string): Promise<Preview> {
  assertUuid(id, 'Campaign');
  const { db, sql } = ctx.database;
  const [campaign] = await db
    .select()
    .from(campaigns)
    .where(and(eq(campaigns.id, id), inArray(campaigns.status, ['draft', 'scheduled', 'paused'])));
  if (!campaign) throw await transitionError(db, id, 'preview', 'draft, scheduled or paused');
  const parameters = await templateParameters(db, campaign.templateId);
  const sender = await ctx.senders.get(campaign.senderId);
  if (!sender) throw new Error(`campaign ${id} names a sender that does not exist`);
  const maxChars = ctx.config.TEMPLATE_PARAMETER_MAX_CHARS;
  const now = new Date();
  const card = ctx.config.PRICE_CARD;
  const [template] = await db
    .select({ category: templates.category })
    .from(templates)
    .where(eq(templates.id, campaign.templateId));
  const category = template?.category ?? null;
  const defaults = { cap: ctx.config.FREQUENCY_CAP, quietHours: ctx.config.QUIET_HOURS };
  const zoned =
    appliedWindow(windowSettingOf(campaign), category, defaults.quietHours) !== null ||
    campaign.scheduleLocalAt !== null;
  // the snapshot's guarded zone (campaignZone), so that the preview places as the run will;
  // none is read for a campaign placed in no zone, as its snapshot reads none
  const zone = zoned ? await campaignZone(ctx.zoneNames, campaign) : UNZONED;
  const policy = deliveryPolicy(campaign, category, defaults, zone);
  const holdout =
    campaign.holdoutPercent > 0
      ? { campaignId: campaign.id, percent: campaign.holdoutPercent }
      : null;
  const [figures, sample, usedLast24h, known, groups] = await Promise.all([
    audienceFigures(
      ctx.database,
      campaign.listIds,
      parameters,
      maxChars,
      card?.longestPrefix,
      holdout,
    ),
    renderedSample(sql, campaign.listIds, parameters, maxChars, SAMPLE_SIZE),
    recipientsLast24h(db, sender),
    db.select({ id: lists.id }).from(lists).where(inArray(lists.id, campaign.listIds)),
    eligibleByZone(ctx, campaign, parameters, maxChars, holdout, policy),
  ]);
  const cost = previewCost(card, category, figures.sendableByPrefix);
  const templateIssue = await templateProblem(db, campaign);
  // the holdout's recipients get nothing: no slot, no share of the limit, no cost
  const eligible = figures.audience - figures.skipped - figures.heldOut;
  const skipProblem = tooManySkips(figures, ctx.config.MAX_SKIPPED_PERCENT);
  const existing = new Set(known.map((list) => list.id));
  const missingLists = campaign.listIds.filter((listId) => !existing.has(listId));
  const plan = estimate({
    campaign,
    figures,
    eligible,
    usedLast24h,
    sender: {
      ratePerSecond: sender.ratePerSecond,
      messagingLimit24h: sender.messagingLimit24h,
      rateSetting: sender.isDefault ? 'SEND_RATE_PER_SECOND' : 'ratePerSecond',
      limitSetting: sender.isDefault ? 'MESSAGING_LIMIT_24H' : 'messagingLimit24h',
    },
    now,
  });
  const limit = sender.messagingLimit24h;
  const timing = await sendPlanFigures({
    database: ctx.database,
    policy,
    groups,
    eligible,
    estimate: plan,
    room: limit === null ? eligible : Math.max(0, limit - usedLast24h),
    dailyLimit: limit,
    now,
  });
  const warnings = [
    ...(templateIssue ? [`starting would be refused: ${templateIssue.message}`] : []),
    ...missingLists.map((listId) => `list ${listId} no longer exists: starting would be refused`),
    ...plan.warnings,
    ...(zoned && zone.unknown !== null
      ? [
          `the schedule's timezone ${zone.unknown} is not a time zone PostgreSQL knows: recipients of no known zone would be placed in UTC (set the schedule's timezone again to fix it)`,
        ]
      : []),
    ...timing.warnings,
    ...cost.warnings,
    ...(skipProblem ? [`starting or scheduling needs {"acceptSkips": true}: ${skipProblem}`] : []),
  ];
  return {
    audience: figures.audience,
    eligible,
    skipped: figures.skipped,
    heldOut: figures.heldOut,
    capped: timing.capped,
    outsideWindowNow: timing.outsideWindowNow,
    expiring: timing.expiring,
    skippedPercent: sharePercent(figures.skipped, figures.audience),
    acceptSkipsRequired: skipProblem !== undefined,
    duplicates: figures.memberships - figures.contacts,
    optedOut: figures.optedOut,
    skippedByAttribute: figures.skippedByAttribute,
    sample,
    estimatedStart: plan.start.toISOString(),
    estimatedFinish: timing.finish.toISOString(),
    byHour: timing.byHour,
    pacePerSecond: plan.pacePerSecond,
    messagingLimit: {
      limit: sender.messagingLimit24h,
      usedLast24h,
      needed: eligible,
    },
    estimatedCost: cost.cost,
    warnings,
  };
}
