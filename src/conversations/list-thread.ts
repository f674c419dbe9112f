import { z } from '@hono/zod-openapi';
import { and, asc, eq, getViewSelectedFields, sql } from 'drizzle-orm';
import { normalizePhone } from '../contacts/phone';
import type { AppContext } from '../context';
import { conversationMessages } from '../db/schema';
import { AppError } from '../errors';
import { BigintKey, decodeCursor, toPage } from '../http/pagination';
import type { ConversationMessage } from './schemas';

const v = conversationMessages;
type Row = typeof v.$inferSelect;

const toItem = (row: Row): ConversationMessage => ({
  id: row.id,
  direction: row.direction,
  kind: row.kind,
  text: row.text,
  templateName: row.templateName,
  parameters: row.parameters,
  status: row.status,
  error: row.error,
  at: row.at.toISOString(),
  campaignId: row.campaignId,
});

// `at` in microseconds (a Date would lose rows within one millisecond), then the id.
const ThreadCursor = z.tuple([BigintKey, z.string()]);
const micros = sql<string>`(extract(epoch from ${v.at}) * 1000000)::bigint::text`;

/**
 * GET /v1/conversations/{phone}/messages: the conversation_messages rows of one phone, oldest
 * first. A phone nothing was exchanged with has an empty thread.
 */
export async function listThread(
  ctx: AppContext,
  rawPhone: string,
  page: { cursor?: string; limit: number },
) {
  const normalized = normalizePhone(rawPhone, ctx.config.DEFAULT_COUNTRY);
  if (!normalized.ok) {
    throw new AppError('bad_request', `${rawPhone} is not a possible phone number`, [
      { path: 'param.phone', message: normalized.reason },
    ]);
  }
  const after = decodeCursor(page.cursor, ThreadCursor);
  const rows = await ctx.database.db
    .select({ ...getViewSelectedFields(v), micros })
    .from(v)
    .where(
      and(
        eq(v.phone, normalized.e164),
        after
          ? sql`(${v.at}, ${v.id}) > (timestamptz 'epoch' + ${after[0]}::bigint * interval '1 microsecond', ${after[1]})`
          : undefined,
      ),
    )
    .orderBy(asc(v.at), asc(v.id))
    .limit(page.limit + 1);
  return toPage(rows, page.limit, toItem, (row) => [row.micros, row.id]);
}
