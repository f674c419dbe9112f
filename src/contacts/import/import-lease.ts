import type { TransactionSql } from 'postgres';
import type { AppContext } from '../../context';
import type { Sql } from '../../db/client';
import type { ImportError, ImportErrorKind } from '../../db/schema';
import type { Logger } from '../../logger';

/**
 * An import is worked by one attempt at a time, and an attempt whose process died is replaced
 * within seconds. The row is the lease: `attempts` is the number of the attempt that holds it,
 * `lease_expires_at` how long it holds it unless it renews (WORKER_TIMEOUT_SECONDS, renewed
 * every 2 s). Each of the attempt's writes to the row names its number, so an attempt that lost
 * the row (frozen past its lease, cut off from the database) changes nothing: its transaction
 * of contacts rolls back with the failed check. The recovery sweep queues a lapsed import again
 * (restart-imports.ts); a pg-boss job is only the wake-up call, and a second job for an
 * import that someone holds finds nothing to claim.
 */

/** Attempts an import gets: its worker dying or its attempt failing this often fails it. */
export const IMPORT_ATTEMPTS = 3;
const RENEW_MS = 2000;

export type ImportCounts = {
  rows: number;
  created: number;
  updated: number;
  duplicates: number;
  invalid: number;
  /** The invalid rows by kind. */
  errorCounts: Partial<Record<ImportErrorKind, number>>;
};

export type Claim = { attempt: number; listId: string; options: Record<string, string> };

/** What an attempt writes under: the import and the number that must still hold it. */
export type Held = { importId: string; attempt: number };

/** Takes a queued import, or a running one whose lease lapsed, from zero counts. */
export async function claimImport(ctx: AppContext, importId: string): Promise<Claim | undefined> {
  const ttl = ctx.config.WORKER_TIMEOUT_SECONDS;
  const [claim] = await ctx.database.sql<Claim[]>`
    update imports set status = 'running', attempts = attempts + 1,
      restarted_at = case when attempts > 0 then clock_timestamp() else restarted_at end,
      lease_expires_at = clock_timestamp() + make_interval(secs => ${ttl}),
      rows = 0, created = 0, updated = 0, duplicates = 0, invalid = 0, errors = '[]',
      error_counts = '{}', failure = null
    where id = ${importId} and (status = 'queued'
      or (status = 'running' and lease_expires_at < clock_timestamp()))
    returning attempts as attempt, list_id as "listId", options`;
  return claim;
}

/** The name an attempt's connections carry (application_name), so a later one can end them. */
export const attemptName = ({ importId, attempt }: Held) => `wa-import ${importId} ${attempt}`;

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

/** Renews the lease while the attempt runs; `lost` once someone else holds the import. */
export function holdLease(ctx: AppContext, held: Held, log: Logger) {
  const ttl = ctx.config.WORKER_TIMEOUT_SECONDS;
  let lost = false;
  const renew = async () => {
    try {
      const renewed = await ctx.database.sql`
        update imports set lease_expires_at = clock_timestamp() + make_interval(secs => ${ttl})
        where id = ${held.importId} and attempts = ${held.attempt} and status = 'running'
        returning id`;
      if (renewed.length === 0) {
        lost = true;
        log.warn('another attempt took the import over: this one stops');
      }
    } catch (error) {
      log.warn({ err: error }, 'could not renew the import lease; trying again');
    }
  };
  const timer = setInterval(
    () => {
      if (!lost) void renew();
    },
    Math.min(RENEW_MS, (ttl * 1000) / 3),
  );
  return {
    lost: () => lost,
    stop: () => clearInterval(timer),
  };
}

/** Lets go of the import at once after a failed attempt: the sweep starts the next one. */
export async function releaseImport(sql: Sql, held: Held): Promise<void> {
  await sql`
    update imports set lease_expires_at = clock_timestamp()
    where id = ${held.importId} and attempts = ${held.attempt} and status = 'running'`;
}

/** Outside the import's transaction, while this attempt holds the import. */
export async function saveProgress(
  sql: Sql,
  held: Held,
  counts: ImportCounts,
  errors: ImportError[],
) {
  await sql`
    update imports set rows = ${counts.rows}, created = ${counts.created}, updated = ${counts.updated},
      duplicates = ${counts.duplicates}, invalid = ${counts.invalid}, errors = ${JSON.stringify(errors)}::jsonb,
      error_counts = ${JSON.stringify(counts.errorCounts)}::jsonb
    where id = ${held.importId} and attempts = ${held.attempt} and status = 'running'`;
}

/**
 * In the import's transaction: the counts, the end of the upload, the opt-outs' contacts. An
 * attempt that no longer holds the import throws, and its whole transaction rolls back.
 */
export async function completeImport(
  tx: TransactionSql,
  held: Held,
  counts: ImportCounts,
  errors: ImportError[],
) {
  const { importId } = held;
  const finished = await tx`
      update imports set status = 'completed', finished_at = clock_timestamp(), rows = ${counts.rows},
        created = ${counts.created}, updated = ${counts.updated}, duplicates = ${counts.duplicates},
        invalid = ${counts.invalid}, errors = ${JSON.stringify(errors)}::jsonb,
        error_counts = ${JSON.stringify(counts.errorCounts)}::jsonb, lease_expires_at = null
      where id = ${importId} and attempts = ${held.attempt} and status = 'running'
      returning id`;
  if (finished.length === 0) throw new Error('another attempt took the import over');
  await tx`delete from import_uploads where import_id = ${importId}`;
  // Opt-outs recorded before the contact existed now point at it.
  await tx`
      update opt_outs o set contact_id = c.id from contacts c
      where o.contact_id is null and c.phone = o.phone and c.created_by_import_id = ${importId}`;
}

/** Fails the import, unless a later attempt holds it or it completed. */
export async function failImport(sql: Sql, held: Held, failure: string): Promise<void> {
  await sql.begin(async (tx) => {
    const failed = await tx`
      update imports set status = 'failed', finished_at = now(), failure = ${failure},
        lease_expires_at = null
      where id = ${held.importId} and attempts = ${held.attempt} and status = 'running'
      returning id`;
    if (failed.length > 0) await tx`delete from import_uploads where import_id = ${held.importId}`;
  });
}
