import type { Context } from 'hono';
import { listContacts } from '../../contacts/contacts';
import { searchContacts } from '../../contacts/search-contacts';
import type { AppContext } from '../../context';
import type { ContactsView } from './list-page';

const PAGE = 50;

/**
 * The contacts a page shows: a list's, or with `?q=` the matches of a search (of the list, or of
 * every contact without one), through the contacts feature's own functions.
 */
export async function contactsView(
  ctx: AppContext,
  c: Context,
  listId?: string,
): Promise<ContactsView> {
  const q = (c.req.query('q') ?? '').trim().slice(0, 100);
  const cursor = c.req.query('cursor') || undefined;
  if (q) {
    const found = await searchContacts(ctx, { q, listId, cursor, limit: PAGE });
    return {
      contacts: found.data,
      nextCursor: found.nextCursor,
      search: { q, scanned: found.scanned },
    };
  }
  if (!listId) return { contacts: [], nextCursor: null };
  const page = await listContacts(ctx, listId, { cursor, limit: PAGE });
  return { contacts: page.data, nextCursor: page.nextCursor };
}
