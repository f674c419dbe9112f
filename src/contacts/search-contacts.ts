import { z } from '@hono/zod-openapi';
import { and, eq } from 'drizzle-orm';
import type { AppContext } from '../context';
import { contacts, listMembers } from '../db/schema';
import { decodeCursor, encodeCursor } from '../http/pagination';
import { toContact } from './contacts';
import { getList } from './lists/lists';
import { normalizePhone } from './phone';
import { type ContactMatch, contactById, searchContactRows } from './queries';
import type { Contact } from './schemas';

/**
 * Contacts one request looks at, at most: a search is a bounded scan (searchContactRows), and
 * this many contacts' attributes are read in some 50 ms; the cursor goes on from there.
 */
export const SEARCH_SCAN_ROWS = 20_000;

/** What a person types for a phone: digits, with spaces, dashes, dots, brackets or a +. */
const PHONE_LIKE = /^\+?[\d\s().-]+$/;

/**
 * GET /v1/contacts?q=: contacts whose phone holds the digits typed (`5001`, `+49 151…`, or
 * `0151 …` without its leading 0) or one of whose attribute values holds the text, any case;
 * of one list with `listId`. A whole number that names a contact (by the import's own
 * normalisation) is found at once through the phone's index; anything else is a bounded scan of
 * SEARCH_SCAN_ROWS contacts a page, so a page may hold fewer matches than its limit, or none,
 * and still have a `nextCursor`: `scanned` says how many contacts it looked at.
 */
export async function searchContacts(
  ctx: AppContext,
  query: { q: string; listId?: string; cursor?: string; limit: number },
): Promise<{ data: Contact[]; nextCursor: string | null; scanned: number }> {
  if (query.listId !== undefined) await getList(ctx, query.listId);
  const after = decodeCursor(query.cursor, z.uuid());
  const budget = ctx.config.LIST_PAGE_MAX_BYTES;
  if (!after) {
    const exact = await contactByPhone(ctx, query.q, query.listId);
    if (exact) return { data: [exact], nextCursor: null, scanned: 1 };
  }
  const stretch = await searchContactRows(
    ctx.database.sql,
    { listId: query.listId, after, scan: SEARCH_SCAN_ROWS, limit: query.limit + 1, budget },
    matchOf(query.q),
  );
  const fitting = stretch.rows.filter((row) => row.fits);
  const page = fitting.slice(0, query.limit);
  const last = page.at(-1);
  // More matches than the page holds: go on after its last; else after the stretch, unless
  // the stretch reached the end of the contacts.
  const nextAfter =
    stretch.rows.length > page.length && last
      ? last.id
      : stretch.scanned === SEARCH_SCAN_ROWS
        ? stretch.last
        : null;
  return {
    data: page.map(toContact),
    nextCursor: nextAfter ? encodeCursor(nextAfter) : null,
    scanned: stretch.scanned,
  };
}

function matchOf(q: string): ContactMatch {
  const text = q.trim().toLowerCase();
  if (!PHONE_LIKE.test(text)) return { digits: '', text };
  // `0049…` is `+49…`; a national `0151…` is written in E.164 without its trunk 0.
  const digits = text.replace(/\D/g, '').replace(/^00|^0/, '');
  return { digits: digits.length >= 3 ? digits : '', text };
}

/**
 * The contact a whole phone number names, however written (of the list, when one is given):
 * through the phone's unique index, after the import's own normalisation.
 */
export async function contactByPhone(
  ctx: AppContext,
  q: string,
  listId?: string,
): Promise<Contact | null> {
  if (!PHONE_LIKE.test(q) || q.replace(/\D/g, '').length < 8) return null;
  const phone = normalizePhone(q, ctx.config.DEFAULT_COUNTRY);
  if (!phone.ok) return null;
  const byPhone = ctx.database.db
    .select({ id: contacts.id })
    .from(contacts)
    .where(eq(contacts.phone, phone.e164));
  const [found] = listId
    ? await byPhone.innerJoin(
        listMembers,
        and(eq(listMembers.contactId, contacts.id), eq(listMembers.listId, listId)),
      )
    : await byPhone;
  const row =
    found && (await contactById(ctx.database.sql, found.id, ctx.config.LIST_PAGE_MAX_BYTES));
  return row ? toContact(row) : null;
}
