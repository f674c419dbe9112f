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
}

export function openStagingCopy(tx: TransactionSql) {
  return tx`copy import_rows (n, phone, attributes) from stdin`.writable();
}

/**
 * One line of COPY text: the data row number, the E.164 phone and the attributes as JSON.
 * `keys` are the headers JSON-encoded ('' for the phone column); empty cells are left out, so they never erase a
 * known value. JSON.stringify escapes every control character, so only backslashes need COPY's
 * escaping.
 */
export function stagingLine(row: number, phone: string, keys: string[], fields: string[]): string {
  let json = '';
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    if (!key) continue;
    const value = fields[i]?.trim();
    if (!value) continue;
    json += `${json ? ',' : '{'}${key}:${JSON.stringify(value)}`;
  }
  json = json ? `${json}}` : '{}';
  if (json.includes('\\')) json = json.replaceAll('\\', '\\\\');
  return `${row}\t${phone}\t${json}\n`;
}

/**
 * Merges the staged rows: the first row of each phone (by row number) is upserted into
 * `contacts` (attributes merged, the file winning) and added to the list. Rows go in phone order,
 * so two imports touching the same contacts lock them in the same order and cannot deadlock; the
 * new contacts' ids are one time-ordered (v7) prefix plus a counter in that order, so the
 * primary keys of `contacts` and `list_members` grow at their right edge. A contact counts as
 * created when this statement inserted it.
 */
export async function mergeStaged(
  tx: TransactionSql,
  importId: string,
  listId: string,
): Promise<{ created: number; updated: number }> {
  // The last 8 hex digits of the v7 id are replaced by the counter (up to 4 billion rows); the
  // 48-bit time and 42 random bits before them keep ids of different imports apart.
  const prefix = uuidv7().slice(0, 28);
  // The sort of the deduplication runs in memory of the server, not in temporary files.
  await tx`set local work_mem = '128MB'`;
  const [counts] = await tx<{ created: number; updated: number }[]>`
    with firsts as (
      select distinct on (phone) phone, attributes from import_rows order by phone, n
    ), numbered as (
      select (${prefix} || lpad(to_hex(row_number() over ()), 8, '0'))::uuid as id, phone, attributes
      from firsts
    ), upserted as (
      insert into contacts (id, phone, attributes, created_by_import_id)
      select id, phone, attributes, ${importId}::uuid from numbered
      on conflict (phone) do update
        set attributes = contacts.attributes || excluded.attributes, updated_at = now()
      returning id, (xmax = 0) as created
    ), members as (
      insert into list_members (list_id, contact_id)
      select ${listId}::uuid, id from upserted
      on conflict do nothing
    )
    select count(*) filter (where created)::int as created,
           count(*) filter (where not created)::int as updated
    from upserted`;
  return counts ?? { created: 0, updated: 0 };
}
