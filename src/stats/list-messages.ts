import { getCampaign } from '../campaigns/get-campaigns';
import type { AppContext } from '../context';
import { BigintKey, decodeCursor, toPage } from '../http/pagination';
import type { Message } from '../messages/message-json';
import { messageRows } from './queries';
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
  const rows = await sql<Message[]>`
    ${messageRows(sql, { campaignId, status: query.status, runId: query.run }, afterId)}
    limit ${query.limit + 1}`;
  return toPage(
    rows,
    query.limit,
    (row) => row,
    (row) => row.id,
  );
}
