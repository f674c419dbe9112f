import { z } from '@hono/zod-openapi';
import { and, desc, eq, getTableColumns, lt, or, sql } from 'drizzle-orm';
import type { AppContext } from '../context';
import { conversations } from '../db/schema';
import { decodeCursor, toPage } from '../http/pagination';
import type { Conversation } from './schemas';

type Row = typeof conversations.$inferSelect & { open: boolean };

const toConversation = (row: Row): Conversation => ({
  phone: row.phone,
  contactId: row.contactId,
  lastInboundAt: row.lastInboundAt.toISOString(),
  windowExpiresAt: row.windowExpiresAt.toISOString(),
  open: row.open,
  campaignId: row.campaignId,
});

// Windows end on whole seconds (provider time + 24 h): an ISO cursor loses nothing.
const ConversationCursor = z.tuple([z.iso.datetime(), z.string()]);

/** Latest window end first (conversations_window_idx); `open` keeps those still open. */
export async function listConversations(
  ctx: AppContext,
  query: { open?: 'true' | 'false'; cursor?: string; limit: number },
) {
  const after = decodeCursor(query.cursor, ConversationCursor);
  const c = conversations;
  const rows = await ctx.database.db
    .select({ ...getTableColumns(c), open: sql<boolean>`${c.windowExpiresAt} > now()` })
    .from(c)
    .where(
      and(
        query.open === 'true' ? sql`${c.windowExpiresAt} > now()` : undefined,
        query.open === 'false' ? sql`${c.windowExpiresAt} <= now()` : undefined,
        after
          ? or(
              lt(c.windowExpiresAt, new Date(after[0])),
              and(eq(c.windowExpiresAt, new Date(after[0])), lt(c.phone, after[1])),
            )
          : undefined,
      ),
    )
    .orderBy(desc(c.windowExpiresAt), desc(c.phone))
    .limit(query.limit + 1);
  return toPage(rows, query.limit, toConversation, (row) => [
    row.windowExpiresAt.toISOString(),
    row.phone,
  ]);
}
