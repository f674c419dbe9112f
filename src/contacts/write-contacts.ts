import type { TransactionSql } from 'postgres';
import { uuidv7 } from '../db/uuid';

/**
 * An import's accepted rows go to a temporary table by COPY, then into `contacts` and
 * `list_members` by one set-based statement: a per-batch upsert cost 35-50 µs a row, the COPY
 * and the merge together a fraction of that. The table lives in the import's transaction (temp
 * tables belong to one connection) and disappears with it, committed or not.
 */
export async function createStaging(tx: TransactionSql): Promise<void> {
  // `C` collation: the merge sorts a million phones, and byte order is all it needs.
  await tx`
    create temp table import_rows (n int not null, phone text collate "C" not null, attributes jsonb not null)
    on commit drop`;
  // Each merge sorts a segment of the file: in memory of the server, not in temporary files.
  await tx`set local work_mem = '64MB'`;
}

export function openStagingCopy(tx: TransactionSql) {
  return tx`copy import_rows (n, phone, attributes) from stdin`.writable();
}

/** A prefix of ids for one import: see mergeStaged. */
export function idPrefix(): string {
  // A v7 id without its last 8 hex digits: the 48-bit time and 42 random bits keep ids of
  // different imports apart, the data row number (up to 4 billion) fills the rest.
  return uuidv7().slice(0, 28);
}

/**
 * Merges the staged rows (one segment of the file; the file's rows arrive in several) and
 * empties the staging table. The first row of each phone by row number is upserted into
 * `contacts` (attributes merged, the file winning) and added to the list. A phone that an
 * earlier segment of this import already wrote is a duplicate: its contact row carries this
 * transaction's id as `xmin`, so the upsert leaves it alone and does not return it. Rows go in
 * phone order within a segment; new contacts' ids are the import's time-ordered prefix plus the
 * row number, so the primary keys of `contacts` and `list_members` grow near their right edge.
 */
export async function mergeStaged(
  tx: TransactionSql,
  importId: string,
  listId: string,
  prefix: string,
): Promise<{ created: number; updated: number }> {
  const [counts] = await tx<{ created: number; updated: number }[]>`
    with firsts as (
      select distinct on (phone) n, phone, attributes from import_rows order by phone, n
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
  await tx`truncate import_rows`;
  return counts ?? { created: 0, updated: 0 };
}
