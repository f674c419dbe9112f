import type { TransactionSql } from 'postgres';
import type { Sql } from '../../db/client';
import { uuidv7 } from '../../db/uuid';

/**
 * An import's accepted rows go by COPY into segment tables, then into `contacts` and
 * `list_members` by one set-based statement per segment: a per-batch upsert cost 35-50 µs a
 * row, the COPY and the merge together a fraction of that. The segments are unlogged tables
 * written on a connection of their own, outside the import's transaction, so that the database
 * copies one segment while the transaction merges the one before (temporary tables belong to
 * one connection). They are scratch: dropSegments drops an attempt's when it ends, however it
 * ends, and every attempt's when the next one starts. Each attempt names its own, so that a
 * late one never drops the tables of the attempt after it.
 */
export function segmentTable(importId: string, attempt: number, segment: number): string {
  return `${segmentPrefix(importId)}${attempt}_${segment}`;
}

const segmentPrefix = (importId: string) => `import_rows_${importId.replaceAll('-', '')}_`;

export async function createSegment(sql: Sql, table: string): Promise<void> {
  // `C` collation: the merge sorts the segment's phones, and byte order is all it needs.
  await sql`
    create unlogged table ${sql(table)}
      (n int not null, phone text collate "C" not null, attributes jsonb not null)`;
}

export function openSegmentCopy(sql: Sql, table: string) {
  return sql`copy ${sql(table)} (n, phone, attributes) from stdin`.writable();
}

/** Drops the segment tables of one attempt of an import, or of all its attempts. */
export async function dropSegments(sql: Sql, importId: string, attempt?: number): Promise<void> {
  const prefix = `${segmentPrefix(importId)}${attempt === undefined ? '' : `${attempt}_`}`;
  const tables = await sql<{ name: string }[]>`
    select tablename as name from pg_tables
    where schemaname = current_schema() and starts_with(tablename, ${prefix})`;
  if (tables.length > 0) await sql`drop table if exists ${sql(tables.map((table) => table.name))}`;
}

/** A prefix of ids for one import: see mergeSegment. */
export function idPrefix(): string {
  // A v7 id without its last 8 hex digits: the 48-bit time and 42 random bits keep ids of
  // different imports apart, the data row number (up to 4 billion) fills the rest.
  return uuidv7().slice(0, 28);
}

/**
 * Merges one segment of the file's rows (the file's rows arrive in several). The first row of each phone by row number is upserted into `contacts` (attributes
 * merged, the file winning) and added to the list. A phone that an
 * earlier segment of this import already wrote is a duplicate: its contact row carries this
 * transaction's id as `xmin`, so the upsert leaves it alone and does not return it. Rows go in
 * phone order within a segment; new contacts' ids are the import's time-ordered prefix plus the
 * row number, so the primary keys of `contacts` and `list_members` grow near their right edge.
 */
export async function mergeSegment(
  tx: TransactionSql,
  table: string,
  importId: string,
  listId: string,
  prefix: string,
): Promise<{ created: number; updated: number }> {
  const [counts] = await tx<{ created: number; updated: number }[]>`
    with firsts as (
      select distinct on (phone) n, phone, attributes from ${tx(table)} order by phone, n
    ), upserted as (
      insert into contacts (id, phone, attributes, created_by_import_id)
      select (${prefix} || lpad(to_hex(n), 8, '0'))::uuid, phone, attributes, ${importId}::uuid
      from firsts
      on conflict (phone) do update
        set attributes = contacts.attributes || excluded.attributes, updated_at = now()
        where contacts.xmin <> pg_current_xact_id()::xid
      returning id, (xmax = 0) as created
    ), new_members as (
      -- a contact this statement created cannot be in the list yet: no conflict check
      insert into list_members (list_id, contact_id)
      select ${listId}::uuid, id from upserted where created
    ), members as (
      insert into list_members (list_id, contact_id)
      select ${listId}::uuid, id from upserted where not created
      on conflict do nothing
    )
    select count(*) filter (where created)::int as created,
           count(*) filter (where not created)::int as updated
    from upserted`;
  return counts ?? { created: 0, updated: 0 };
}
