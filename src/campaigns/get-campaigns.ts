import { and, count, desc, eq, getTableColumns, inArray, sql } from 'drizzle-orm';
import type { AppContext } from '../context';
import { campaigns, runs } from '../db/schema';
import { AppError } from '../errors';
import { decodeCursor, NewestKey, toPage } from '../http/pagination';
import { assertUuid } from '../http/params';
import { toCampaign, toRun } from './campaign-json';
import type { Campaign, CampaignPage, CampaignStatus, RunList } from './schemas';

export async function getCampaign(ctx: AppContext, id: string): Promise<Campaign> {
  assertUuid(id, 'Campaign');
  const [row] = await ctx.database.db.select().from(campaigns).where(eq(campaigns.id, id));
  if (!row) throw AppError.notFound('Campaign', id);
  return toCampaign(row);
}

/**
 * Newest first, keyset-paginated on (created_at, id): the campaigns_created_idx order. With
 * `status`, the same index walk filters its rows: one row per campaign, so even a status held by
 * few of 10,000 campaigns costs a scan of a small table's index, not an index of its own.
 */
export async function listCampaigns(
  ctx: AppContext,
  page: { limit: number; cursor?: string; status?: CampaignStatus[] },
): Promise<CampaignPage> {
  const after = decodeCursor(page.cursor, NewestKey);
  const rows = await ctx.database.db
    .select({
      ...getTableColumns(campaigns),
      // The cursor's key in PostgreSQL's microseconds: a Date would drop rows of one millisecond.
      micros: sql<string>`(extract(epoch from ${campaigns.createdAt}) * 1000000)::bigint::text`,
    })
    .from(campaigns)
    .where(
      and(
        after &&
          sql`(${campaigns.createdAt}, ${campaigns.id}) < (timestamptz 'epoch' + ${after.micros}::bigint * interval '1 microsecond', ${after.id}::uuid)`,
        page.status && inArray(campaigns.status, page.status),
      ),
    )
    .orderBy(desc(campaigns.createdAt), desc(campaigns.id))
    .limit(page.limit + 1);
  return toPage(rows, page.limit, toCampaign, (row) => [row.micros, row.id]);
}

/** How many campaigns are in each status (one pass over the campaigns, one row per campaign). */
export async function countCampaignsByStatus(
  ctx: AppContext,
): Promise<Partial<Record<CampaignStatus, number>>> {
  const rows = await ctx.database.db
    .select({ status: campaigns.status, n: count() })
    .from(campaigns)
    .groupBy(campaigns.status);
  return Object.fromEntries(rows.map((row) => [row.status, row.n]));
}

/** Every run of a campaign, newest slot first. */
export async function listRuns(ctx: AppContext, campaignId: string): Promise<RunList> {
  await getCampaign(ctx, campaignId);
  const rows = await ctx.database.db
    .select()
    .from(runs)
    .where(eq(runs.campaignId, campaignId))
    .orderBy(desc(runs.scheduledFor));
  return { data: rows.map(toRun) };
}
