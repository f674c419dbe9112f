import type { Sql } from '../db/client';
import { isoUtc } from '../db/iso';
import type { RawRow } from '../db/raw-row';
import type { contacts, optOuts } from '../db/schema';
import { withinBytes } from '../http/pagination';

/**
 * A contact with its opt-out. `attributes` is null when left out: larger than
 * LIST_PAGE_MAX_BYTES (`omitted`), or past the page's budget. Timestamps as ISO text (isoUtc).
 */
export type ContactRow = Pick<RawRow<typeof contacts>, 'id' | 'phone' | 'createdAt'> & {
  attributes: RawRow<typeof contacts>['attributes'] | null;
  omitted: boolean;
  /** Null when the phone is not opted out (a left join). */
  optedOutAt: RawRow<typeof optOuts>['optedOutAt'] | null;
};

/*
 * Raw: a page of contacts is bounded in bytes by a window sum over the page (withinBytes), and
 * both queries share the columns that measure a contact's attributes.
 */

const iso = (sql: Sql, column: string) => sql.unsafe(isoUtc(column));

/**
 * A contact's columns with its opt-out and `size`, the bytes of its attributes: a contact
 * whose attributes alone are larger than LIST_PAGE_MAX_BYTES (stored before imports had
 * limits) is answered without them, so that no answer is larger than that, whatever was stored.
 */
const contactColumns = (sql: Sql) => sql`
  c.id, c.phone, ${iso(sql, 'c.created_at')} as "createdAt",
  ${iso(sql, 'o.opted_out_at')} as "optedOutAt", c.attributes,
  octet_length(c.attributes::text) as size`;

export async function contactById(
  sql: Sql,
  id: string,
  budget: number,
): Promise<ContactRow | undefined> {
  const [row] = await sql<ContactRow[]>`
    select id, phone, "createdAt", "optedOutAt", size > ${budget} as omitted,
      case when size <= ${budget} then attributes end as attributes
    from (
      select ${contactColumns(sql)}
      from contacts c left join opt_outs o on o.phone = c.phone
      where c.id = ${id}) c`;
  return row;
}

/**
 * A list's contacts in id order after `after`, `limit` of them (the list_members primary key
 * serves it), with `fits` for those within `budget` bytes of attributes (see withinBytes).
 */
export function listMemberRows(
  sql: Sql,
  listId: string,
  after: string | undefined,
  limit: number,
  budget: number,
) {
  const members = sql`
    select ${contactColumns(sql)}
    from list_members m join contacts c on c.id = m.contact_id
      left join opt_outs o on o.phone = c.phone
    where m.list_id = ${listId} ${after ? sql`and m.contact_id > ${after}` : sql``}
    order by m.contact_id
    limit ${limit}`;
  return sql<(ContactRow & { fits: boolean })[]>`
    select id, phone, "createdAt", "optedOutAt", size > ${budget} as omitted, fits,
      case when fits and size <= ${budget} then attributes end as attributes
    from (${withinBytes(sql, members, sql`p.id`, budget)}) w
    order by id`;
}

/**
 * The attribute names (CSV columns) of a list's contacts, read from its first and its last
 * `sample` members in contact id order: both ends of the list_members primary key, so a list of
 * millions answers in milliseconds. Ids are time-ordered (uuid v7), so the two ends hold the
 * oldest contacts and the newest imports. At most `max` names, alphabetical.
 */
export async function attributeNamesOfList(
  sql: Sql,
  listId: string,
  sample: number,
  max: number,
): Promise<{ names: string[]; sampled: number }> {
  const ends = sql`
    (select contact_id from list_members where list_id = ${listId} order by contact_id limit ${sample})
    union
    (select contact_id from list_members where list_id = ${listId} order by contact_id desc limit ${sample})`;
  const [names, [counted]] = await Promise.all([
    sql<{ name: string }[]>`
      select distinct k.name
      from (${ends}) s join contacts c on c.id = s.contact_id,
        jsonb_object_keys(c.attributes) as k(name)
      order by k.name
      limit ${max}`,
    sql<{ sampled: number }[]>`select count(*)::int as sampled from (${ends}) s`,
  ]);
  return { names: names.map((row) => row.name), sampled: counted?.sampled ?? 0 };
}

/** What a search looks for: digits within the phone, text within any attribute's value. */
export type ContactMatch = { digits: string; text: string };

/** A stretch of a search: its matches, and how far it looked (`last` null when it saw none). */
export type SearchRow = ContactRow & { fits: boolean };
export type SearchStretch = { rows: SearchRow[]; scanned: number; last: string | null };

/**
 * A bounded scan for contacts (GET /v1/contacts?q=): the next `scan` contacts in id order after
 * `after` (of one list: its list_members primary key), and among them the first `limit` that
 * match, within `budget` bytes of attributes (see withinBytes). Substrings of the phone and of
 * free-text attribute values have no index that serves them without an extension (pg_trgm) and
 * a second index on every contact, which every import would pay for: instead each request
 * looks at a bounded stretch, and its cursor goes on from where it stopped. The stretch is read
 * in id order and the matches stop it early; its size and last id come from the primary key
 * alone. The attributes' JSON text is searched first, and only a contact it holds the text in
 * has its values compared one by one (a third of the time on a stretch without a match).
 */
export async function searchContactRows(
  sql: Sql,
  options: { listId?: string; after?: string; scan: number; limit: number; budget: number },
  match: ContactMatch,
): Promise<SearchStretch> {
  const { listId, after, scan, limit, budget } = options;
  const ids = listId
    ? sql`
        select m.contact_id as id from list_members m
        where m.list_id = ${listId} ${after ? sql`and m.contact_id > ${after}` : sql``}
        order by m.contact_id limit ${scan}`
    : sql`
        select c.id from contacts c ${after ? sql`where c.id > ${after}` : sql``}
        order by c.id limit ${scan}`;
  const stretch = listId
    ? sql`
        select m.contact_id as id, c.phone, c.attributes
        from list_members m join contacts c on c.id = m.contact_id
        where m.list_id = ${listId} ${after ? sql`and m.contact_id > ${after}` : sql``}
        order by m.contact_id limit ${scan}`
    : sql`
        select c.id, c.phone, c.attributes from contacts c
        ${after ? sql`where c.id > ${after}` : sql``}
        order by c.id limit ${scan}`;
  // JSON text escapes quotes, backslashes and control characters: such a text skips the sieve.
  const sieve = ![...match.text].some((ch) => ch === '"' || ch === '\\' || ch < ' ');
  const matches = sql`
    select ${contactColumns(sql)}
    from (
      select s.id from (${stretch}) s
      where (${match.digits} <> '' and strpos(s.phone, ${match.digits}) > 0)
        or ((not ${sieve} or strpos(lower(s.attributes::text), ${match.text}) > 0)
          and exists (
            select 1 from jsonb_each_text(s.attributes) e
            where strpos(lower(e.value), ${match.text}) > 0))
      order by s.id
      limit ${limit}) hit
    join contacts c on c.id = hit.id
    left join opt_outs o on o.phone = c.phone`;
  const rows = await sql<(Partial<SearchRow> & { scanned: number; last: string | null })[]>`
    select s.scanned, s.last, w.id, w.phone, w."createdAt", w."optedOutAt", w.fits,
      w.size > ${budget} as omitted,
      case when w.fits and w.size <= ${budget} then w.attributes end as attributes
    from (
      select count(*)::int as scanned, (array_agg(i.id order by i.id desc))[1] as last
      from (${ids}) i) s
    left join lateral (${withinBytes(sql, matches, sql`p.id`, budget)}) w on true
    order by w.id`;
  const first = rows[0];
  return {
    rows: rows.filter((row): row is typeof row & SearchRow => typeof row.id === 'string'),
    scanned: first?.scanned ?? 0,
    last: first?.last ?? null,
  };
}
