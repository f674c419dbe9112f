import { getCampaign } from '../campaigns/get-campaigns';
import type { AppContext } from '../context';
import { BigintKey, decodeCursor, toPage } from '../http/pagination';
import { messagePage } from './queries';
import type { MessagePage, MessagesQuery } from './schemas';

/** GET /v1/campaigns/{id}/messages as JSON: a keyset page in id order. */
export async function listMessages(
  ctx: AppContext,
  campaignId: string,
  query: MessagesQuery,
): Promise<MessagePage> {
  await getCampaign(ctx, campaignId);
  const { sql } = ctx.database;
  const afterId = decodeCursor(query.cursor, BigintKey);
  const filter = { campaignId, status: query.status, runId: query.run };
  const rows = await messagePage(sql, filter, afterId, query.limit + 1);
  return toPage(
    rows,
    query.limit,
    (row) => row,
    (row) => row.id,
  );
}
