import { z } from '@hono/zod-openapi';
import { and, asc, eq, gt } from 'drizzle-orm';
import type { AppContext } from '../context';
import { contacts, listMembers, optOuts } from '../db/schema';
import { AppError } from '../errors';
import { decodeCursor, toPage } from '../http/pagination';
import { isUuid } from '../http/params';
import { getList } from './lists';
import type { Contact } from './schemas';

const columns = {
  id: contacts.id,
  phone: contacts.phone,
  attributes: contacts.attributes,
  createdAt: contacts.createdAt,
  optedOutAt: optOuts.optedOutAt,
};
type Row = {
  id: string;
  phone: string;
  attributes: Record<string, string>;
  createdAt: Date;
  optedOutAt: Date | null;
};

export const toContact = (row: Row): Contact => ({
  id: row.id,
  phone: row.phone,
  attributes: row.attributes,
  optedOut: row.optedOutAt !== null,
  optedOutAt: row.optedOutAt?.toISOString() ?? null,
  createdAt: row.createdAt.toISOString(),
});

export async function getContact(ctx: AppContext, id: string): Promise<Contact> {
  if (!isUuid(id)) throw AppError.notFound('Contact', id);
  const [row] = await ctx.database.db
    .select(columns)
    .from(contacts)
    .leftJoin(optOuts, eq(optOuts.phone, contacts.phone))
    .where(eq(contacts.id, id));
  if (!row) throw AppError.notFound('Contact', id);
  return toContact(row);
}

/** A list's contacts in id order, `limit` at a time (the list_members primary key serves it). */
export async function listContacts(
  ctx: AppContext,
  listId: string,
  page: { cursor?: string; limit: number },
) {
  await getList(ctx, listId);
  const after = decodeCursor(page.cursor, z.uuid());
  const rows = await ctx.database.db
    .select(columns)
    .from(listMembers)
    .innerJoin(contacts, eq(contacts.id, listMembers.contactId))
    .leftJoin(optOuts, eq(optOuts.phone, contacts.phone))
    .where(
      and(eq(listMembers.listId, listId), after ? gt(listMembers.contactId, after) : undefined),
    )
    .orderBy(asc(listMembers.contactId))
    .limit(page.limit + 1);
  return toPage(rows, page.limit, toContact, (row) => row.id);
}
