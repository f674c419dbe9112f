import type { ReservedSql, TransactionSql } from 'postgres';
import type { Sql } from '../../db/client';
import type { ImportError } from '../../db/schema';
import { uuidv7 } from '../../db/uuid';
import type { Held, ImportCounts } from './import-lease';

/*
 * The import's raw SQL: COPY into segment tables and the set-based merges (a per-batch upsert
 * through the builder cost 35-50 µs a row), and every statement that runs in the import's
 * transaction or the upload's (postgres.js transactions, which pg-boss's job joins), on the bulk
 * pool (which has no builder), or on catalogs and locks. The import row's ordinary updates
 * outside them use the builder (import-lease.ts).
 */

/**
 * The upload's chunks in order, as a cursor of `perFetch` rows a round trip.
 */
export function uploadChunks(sql: Sql, importId: string, perFetch: number) {
  return sql<{ data: string }[]>`
    select data from import_uploads where import_id = ${importId} order by seq`.cursor(perFetch);
}

/**
 * The import row, in the upload's transaction, if the list still exists (it may have been
 * deleted while the file was coming in); answers whether it does.
 */
export async function insertImport(
  tx: TransactionSql,
  importId: string,
  listId: string,
  options: Record<string, string>,
): Promise<boolean> {
  const created = await tx`
    insert into imports (id, list_id, status, options)
    select ${importId}, id, 'queued', ${JSON.stringify(options)}::jsonb from lists
    where id = ${listId}
    returning id`;
  return created.length > 0;
}

export async function insertUploadChunk(
  tx: TransactionSql,
  importId: string,
  seq: number,
  data: string,
): Promise<void> {
  await tx`insert into import_uploads (import_id, seq, data) values (${importId}, ${seq}, ${data})`;
}

export async function deleteUpload(tx: TransactionSql, importId: string): Promise<void> {
  await tx`delete from import_uploads where import_id = ${importId}`;
}

/**
 * Completes the import in its transaction, while `held` still holds it (the counts, no lease),
 * and points the opt-outs recorded before their contact existed at it. False when another
 * attempt holds the import.
 */
export async function finishImport(
  tx: TransactionSql,
  held: Held,
  counts: ImportCounts,
  errors: ImportError[],
): Promise<boolean> {
  const { importId } = held;
  const finished = await tx`
    update imports set status = 'completed', finished_at = clock_timestamp(), rows = ${counts.rows},
      created = ${counts.created}, updated = ${counts.updated}, duplicates = ${counts.duplicates},
      invalid = ${counts.invalid}, errors = ${JSON.stringify(errors)}::jsonb,
      error_counts = ${JSON.stringify(counts.errorCounts)}::jsonb, lease_expires_at = null
    where id = ${importId} and attempts = ${held.attempt} and status = 'running'
    returning id`;
  if (finished.length === 0) return false;
  await tx`
    update opt_outs o set contact_id = c.id from contacts c
    where o.contact_id is null and c.phone = o.phone and c.created_by_import_id = ${importId}`;
  return true;
}

/**
 * Ends a running import whose lease lapsed: queued again, or failed once it had `maxAttempts`.
 * Nothing back when another sweep got there first.
 */
export async function endLapsedImport(tx: TransactionSql, importId: string, maxAttempts: number) {
  const [ended] = await tx<{ status: 'queued' | 'failed'; attempts: number }[]>`
    update imports set lease_expires_at = null,
      status = case when attempts >= ${maxAttempts} then 'failed' else 'queued' end::import_status,
      finished_at = case when attempts >= ${maxAttempts} then now() end,
      failure = case when attempts >= ${maxAttempts}
        then 'the import stopped without finishing ' || attempts || ' times (its worker died, or lost the database)' end
    where id = ${importId} and status = 'running' and lease_expires_at < clock_timestamp()
    returning status, attempts`;
  return ended;
}

/**
 * Ends the database sessions of the import's earlier attempts. A process that died on this
 * machine took them with it; a frozen one, or one on a lost machine, would keep its transaction
 * (and the import lock, and its segment tables) until it woke or TCP gave up on it.
 */
export async function endEarlierAttempts(sql: Sql, held: Held): Promise<void> {
  await sql`
    select pg_terminate_backend(pid) from pg_stat_activity
    where datname = current_database()
      and starts_with(application_name, ${`wa-import ${held.importId} `})
      and split_part(application_name, ' ', 3)::int < ${held.attempt}`;
}

/** Names the session (application_name), for the transaction only when `local`. */
export async function nameSession(sql: Sql | TransactionSql, name: string, local: boolean) {
  await sql`select set_config('application_name', ${name}, ${local})`;
}

export async function resetSessionName(sql: ReservedSql): Promise<void> {
  await sql`reset application_name`;
}

/** Takes the transaction's advisory lock `key` if it is free; answers whether it did. */
export async function tryTransactionLock(tx: TransactionSql, key: number): Promise<boolean> {
  const [free] = await tx<{ got: boolean }[]>`select pg_try_advisory_xact_lock(${key}) as got`;
  return free?.got === true;
}

export async function waitForTransactionLock(tx: TransactionSql, key: number): Promise<void> {
  await tx`select pg_advisory_xact_lock(${key})`;
}

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

/** For the import's transaction: each merge sorts a segment, in memory rather than on disk. */
export async function sortInMemory(tx: TransactionSql): Promise<void> {
  await tx`set local work_mem = '64MB'`;
}

export async function countSegmentRows(sql: Sql, table: string): Promise<number | undefined> {
  const [stored] = await sql<{ n: number }[]>`select count(*)::int as n from ${sql(table)}`;
  return stored?.n;
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
