import type { AppContext } from '../context';
import { AppError } from '../errors';
import { decodeCursor, encodeCursor } from '../http/cursor';
import { isUuid } from '../http/params';
import { type RawCampaignRow, type RawRunRow, toCampaign, toRun } from './rows';
import type { Campaign, CampaignPage, RunList } from './schemas';

export async function getCampaign(ctx: AppContext, id: string): Promise<Campaign> {
  if (!isUuid(id)) throw AppError.notFound('campaign', id);
  const [row] = await ctx.database.sql<RawCampaignRow[]>`select * from campaigns where id = ${id}`;
  if (!row) throw AppError.notFound('campaign', id);
  return toCampaign(row);
}

/** Newest first, keyset-paginated on (created_at, id): the campaigns_created_idx order. */
export async function listCampaigns(
  ctx: AppContext,
  page: { limit: number; cursor?: string },
): Promise<CampaignPage> {
  const { sql } = ctx.database;
  const after = page.cursor ? decodeCursor(page.cursor) : undefined;
  const rows = await sql<(RawCampaignRow & { micros: string })[]>`
    select *, (extract(epoch from created_at) * 1000000)::bigint::text as micros
    from campaigns
    ${
      after
        ? sql`where (created_at, id) < (timestamptz 'epoch' + ${after.micros}::bigint * interval '1 microsecond', ${after.id}::uuid)`
        : sql``
    }
    order by created_at desc, id desc
    limit ${page.limit + 1}`;
  const data = rows.slice(0, page.limit);
  const last = data.at(-1);
  return {
    data: data.map(toCampaign),
    nextCursor: rows.length > page.limit && last ? encodeCursor(last.micros, last.id) : null,
  };
}

/** Every run of a campaign, newest slot first. */
export async function listRuns(ctx: AppContext, campaignId: string): Promise<RunList> {
  await getCampaign(ctx, campaignId);
  const rows = await ctx.database.sql<RawRunRow[]>`
    select * from runs where campaign_id = ${campaignId} order by scheduled_for desc`;
  return { data: rows.map(toRun) };
}
