import { and, desc, eq, isNull } from 'drizzle-orm';
import type { AppContext } from '../context';
import { microsOf, olderThan } from '../db/keyset';
import { senders } from '../db/schema';
import { AppError } from '../errors';
import { decodeCursor, NewestKey, type PageQuery, toPage } from '../http/pagination';
import { assertUuid } from '../http/params';
import type { Sender, SenderPage } from './schemas';
import { senderColumns, toSender } from './sender-json';

export async function getSender(ctx: AppContext, id: string): Promise<Sender> {
  assertUuid(id, 'Sender');
  const [row] = await ctx.database.db
    .select(senderColumns)
    .from(senders)
    .where(and(eq(senders.id, id), isNull(senders.deletedAt)));
  if (!row) throw AppError.notFound('Sender', id);
  return toSender(row);
}

/** Senders not deleted, newest first, keyset-paginated on (created_at, id). */
export async function listSenders(ctx: AppContext, page: PageQuery): Promise<SenderPage> {
  const after = decodeCursor(page.cursor, NewestKey);
  const rows = await ctx.database.db
    .select({ ...senderColumns, micros: microsOf(senders.createdAt) })
    .from(senders)
    .where(and(isNull(senders.deletedAt), olderThan(senders.createdAt, senders.id, after, 'uuid')))
    .orderBy(desc(senders.createdAt), desc(senders.id))
    .limit(page.limit + 1);
  return toPage(
    rows,
    page.limit,
    ({ micros: _, ...row }) => toSender(row),
    (row) => [row.micros, row.id],
  );
}

/**
 * A sender by id, deleted ones included, for what names it (a finished campaign keeps naming
 * its sender, docs/design.md, rule 31); undefined when there is no such sender.
 */
export async function findSender(
  ctx: AppContext,
  id: string,
): Promise<(Sender & { deleted: boolean }) | undefined> {
  assertUuid(id, 'Sender');
  const [row] = await ctx.database.db
    .select({ ...senderColumns, deletedAt: senders.deletedAt })
    .from(senders)
    .where(eq(senders.id, id));
  if (!row) return undefined;
  const { deletedAt, ...sender } = row;
  return { ...toSender(sender), deleted: deletedAt !== null };
}
