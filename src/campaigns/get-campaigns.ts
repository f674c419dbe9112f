import type { AppContext } from '../context';
import { AppError } from '../errors';
import { decodeCursor, NewestKey, toPage } from '../http/pagination';
import { assertUuid } from '../http/params';
import { type RawCampaignRow, type RawRunRow, toCampaign, toRun } from './rows';
import type { Campaign, CampaignPage, RunList } from './schemas';

export async function getCampaign(ctx: AppContext, id: string): Promise<Campaign> {
  assertUuid(id, 'Campaign');
  const [row] = await ctx.database.sql<RawCampaignRow[]>`select * from campaigns where id = ${id}`;
  if (!row) throw AppError.notFound('Campaign', id);
  return toCampaign(row);
}

/** Newest first, keyset-paginated on (created_at, id): the campaigns_created_idx order. */
export async function listCampaigns(
  ctx: AppContext,
  page: { limit: number; cursor?: string },
): Promise<CampaignPage> {
  const { sql } = ctx.database;
  const after = decodeCursor(page.cursor, NewestKey);
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
  return toPage(rows, page.limit, toCampaign, (row) => [row.micros, row.id]);
}

/** Every run of a campaign, newest slot first. */
export async function listRuns(ctx: AppContext, campaignId: string): Promise<RunList> {
  await getCampaign(ctx, campaignId);
  const rows = await ctx.database.sql<RawRunRow[]>`
    select * from runs where campaign_id = ${campaignId} order by scheduled_for desc`;
  return { data: rows.map(toRun) };
}
