import { sql } from 'drizzle-orm';
import type { AppContext } from '../context';
import { messages } from '../db/schema';
import { AppError } from '../errors';
import { BigintKey } from '../http/pagination';
import { type Message, toMessageJson } from './message-json';

/**
 * GET /v1/messages/{messageId}: any message row (template, follow-up or free-form), so that a
 * client can follow what it sent. An id that is not a bigint is a 404, like one that does not
 * exist (ids are opaque to clients).
 */
export async function getMessage(ctx: AppContext, id: string): Promise<Message> {
  const [row] = BigintKey.safeParse(id).success
    ? await ctx.database.db.select().from(messages).where(sql`${messages.id} = ${id}::bigint`)
    : [];
  if (!row) throw AppError.notFound('Message', id);
  return toMessageJson(row);
}
