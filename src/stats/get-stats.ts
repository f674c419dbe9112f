import { getCampaign } from '../campaigns/get-campaigns';
import type { AppContext } from '../context';
import { AppError } from '../errors';
import { addSplit } from './period-figures';
import { addCost, priceOf } from './price-card';
import {
  billableRows,
  countedStatus,
  errorCodeRows,
  hasHoldout,
  holdoutRows,
  pricingRows,
  type RawCounts,
  statsRow,
} from './queries';
import type { CampaignStats, Stats } from './schemas';
import { uplift } from './uplift';

type Counts = Omit<Stats, 'deliveryRate' | 'readRate' | 'replyRate'>;
/** A rate of the Stats (docs/design.md, rule 22): over `sent`, 0 when nothing was sent. */
export const rate = (part: number, sent: number) => (sent === 0 ? 0 : part / sent);

export function toStats(row: RawCounts): Stats {
  const counts: Counts = {
    audience: row.audience,
    pending: row.pending,
    sent: row.sent,
    delivered: row.delivered,
    read: row.read,
    failed: row.failed,
    skipped: row.skipped,
    unknown: row.unknown,
    replied: row.replied,
    optedOut: row.opted_out,
    followUpsSent: row.follow_ups_sent,
    windowsOpen: row.windows_open,
  };
  return {
    ...counts,
    deliveryRate: rate(row.delivered, row.sent),
    readRate: rate(row.read, row.sent),
    replyRate: rate(row.replied, row.sent),
  };
}

/**
 * GET /v1/campaigns/{id}/stats: the campaign's row of the campaign_stats view, or with `run` the
 * run's row of run_stats. Both sum the counters the triggers on messages and conversations keep
 * in the same transaction as every row change (a few rows per run, whatever the campaign's
 * size); figuresSql's recount of the rows is the oracle the tests hold them to. The figures by
 * error code and pricing category are ranges of their partial indexes (docs/decisions.md,
 * "Error codes and pricing in the stats").
 */
export async function getCampaignStats(
  ctx: AppContext,
  campaignId: string,
  runId?: string,
): Promise<CampaignStats> {
  const { sql } = ctx.database;
  const [stats, errorCodes, pricing, holdout, expired] = await Promise.all([
    getCampaignCounters(ctx, campaignId, runId),
    errorCodeRows(sql, campaignId, runId),
    pricingRows(sql, campaignId, runId),
    holdoutFigures(ctx, campaignId, runId),
    countedStatus(sql, campaignId, runId, 'expired'),
  ]);
  const byPricingCategory: CampaignStats['byPricingCategory'] = {};
  for (const { category, billable, count } of pricing)
    addSplit(byPricingCategory, category, billable, count);
  return {
    ...stats,
    byErrorCode: Object.fromEntries(errorCodes.map(({ code, count }) => [String(code), count])),
    byPricingCategory,
    estimatedCost: await estimatedCost(ctx, campaignId, runId),
    expired,
    ...holdout,
  };
}

/**
 * The holdout group against the treated one (rule 36): null figures when the campaign kept
 * nobody out, and then nothing is counted.
 */
async function holdoutFigures(
  ctx: AppContext,
  campaignId: string,
  runId: string | undefined,
): Promise<Pick<CampaignStats, 'heldOut' | 'holdoutReplied' | 'uplift'>> {
  const { sql } = ctx.database;
  if (!(await hasHoldout(sql, campaignId, runId)))
    return { heldOut: null, holdoutReplied: null, uplift: null };
  const rows = await holdoutRows(sql, campaignId, runId, ctx.config.REPLY_ATTRIBUTION_HOURS);
  const group = (name: 'treated' | 'holdout') =>
    rows.find((row) => row.group === name) ?? { size: 0, replied: 0 };
  const held = group('holdout');
  return {
    heldOut: held.size,
    holdoutReplied: held.replied,
    uplift: uplift(group('treated'), held),
  };
}

/**
 * The Stats alone, from the counters (a few index reads whatever the campaign's size): what the
 * console's live figures read every second, without the maps by code and price, whose cost
 * follows the campaign's coded and priced messages.
 */
export async function getCampaignCounters(
  ctx: AppContext,
  campaignId: string,
  runId?: string,
): Promise<Stats> {
  await getCampaign(ctx, campaignId);
  const row = await statsRow(ctx.database.sql, campaignId, runId);
  if (!row) {
    if (runId !== undefined) throw AppError.notFound('Run', runId);
    throw new Error('the campaign has no campaign_stats row');
  }
  return toStats(row);
}

/**
 * The billable messages priced by PRICE_CARD, summed by currency (null without a card): each
 * at the price of its category for the longest prefix of its phone the card prices; a message
 * the card has no price for adds nothing.
 */
async function estimatedCost(ctx: AppContext, campaignId: string, runId: string | undefined) {
  const card = ctx.config.PRICE_CARD;
  if (card === undefined) return null;
  const rows = await billableRows(ctx.database.sql, campaignId, runId, card.longestPrefix);
  const costs: Record<string, number> = {};
  for (const { category, digits, count } of rows) {
    const price = priceOf(card, digits, category);
    if (price) addCost(costs, price, count);
  }
  return costs;
}
