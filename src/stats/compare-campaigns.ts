import { z } from '@hono/zod-openapi';
import type { AppContext } from '../context';
import { decodeCursor, toPage } from '../http/pagination';
import { toStats } from './get-stats';
import { statsPeriod } from './period';
import type { ComparedCampaign, ComparedPage, CompareQuery } from './period-schemas';
import { type ComparedRow, comparedCampaignRows } from './queries';

/** The cursor of a ranking is the offset of the next row: figures have no stable key. */
const OffsetKey = z.number().int().min(0).max(1_000_000);

const toCompared = (row: ComparedRow): ComparedCampaign => ({
  campaignId: row.campaign_id,
  name: row.name,
  status: row.status as ComparedCampaign['status'],
  ...toStats(row),
});

/**
 * GET /v1/stats/campaigns: the campaigns with a run under way during the period, each with its
 * Stats (GET /v1/campaigns/{id}/stats' figures: the whole campaign, not only the period), ranked
 * by `sort`. Paged by offset: a ranking by live figures has no key to continue after, so a
 * campaign whose figures move between two pages may be seen twice or not at all.
 */
export async function compareCampaigns(
  ctx: AppContext,
  query: CompareQuery,
): Promise<ComparedPage> {
  const { from, to } = statsPeriod(query);
  const range = { from: from.toISOString(), to: to.toISOString() };
  const offset = decodeCursor(query.cursor, OffsetKey) ?? 0;
  const rows = await comparedCampaignRows(
    ctx.database.sql,
    range,
    { sort: query.sort, descending: query.order === 'desc' },
    { offset, limit: query.limit + 1 },
  );
  return { ...range, ...toPage(rows, query.limit, toCompared, () => offset + query.limit) };
}
