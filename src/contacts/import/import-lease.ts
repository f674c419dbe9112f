import { and, eq, lt, or, type SQL, sql } from 'drizzle-orm';
import type { TransactionSql } from 'postgres';
import type { AppContext } from '../../context';
import type { Db } from '../../db/client';
import { type ImportError, imports, importUploads } from '../../db/schema';
import type { Logger } from '../../logger';
import { deleteUpload, finishImport } from './queries';

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

/** The import's counts (its columns of the same names); errorCounts: the invalid rows by kind. */
export type ImportCounts = Pick<
  typeof imports.$inferSelect,
  'rows' | 'created' | 'updated' | 'duplicates' | 'invalid' | 'errorCounts'
>;

export type Claim = { attempt: number } & Pick<typeof imports.$inferSelect, 'listId' | 'options'>;

/** What an attempt writes under: the import and the number that must still hold it. */
export type Held = { importId: string; attempt: number };

/** The database's clock, not this process's: one clock for every process. */
const now = sql`clock_timestamp()`;
const leaseEnd = (ttl: number): SQL => sql`clock_timestamp() + make_interval(secs => ${ttl})`;

/** The import, while `held`'s attempt still holds it. */
const heldBy = (held: Held) =>
  and(
    eq(imports.id, held.importId),
    eq(imports.attempts, held.attempt),
    eq(imports.status, 'running'),
  );

/** Takes a queued import, or a running one whose lease lapsed, from zero counts. */
export async function claimImport(ctx: AppContext, importId: string): Promise<Claim | undefined> {
  const [claim] = await ctx.database.db
    .update(imports)
    .set({
      status: 'running',
      attempts: sql`${imports.attempts} + 1`,
      restartedAt: sql`case when ${imports.attempts} > 0 then ${now} else ${imports.restartedAt} end`,
      leaseExpiresAt: leaseEnd(ctx.config.WORKER_TIMEOUT_SECONDS),
      rows: 0,
      created: 0,
      updated: 0,
      duplicates: 0,
      invalid: 0,
      errors: [],
      errorCounts: {},
      failure: null,
    })
    .where(
      and(
        eq(imports.id, importId),
        or(
          eq(imports.status, 'queued'),
          and(eq(imports.status, 'running'), lt(imports.leaseExpiresAt, now)),
        ),
      ),
    )
    .returning({ attempt: imports.attempts, listId: imports.listId, options: imports.options });
  return claim;
}

/** The name an attempt's connections carry (application_name), so a later one can end them. */
export const attemptName = ({ importId, attempt }: Held) => `wa-import ${importId} ${attempt}`;

/** Renews the lease while the attempt runs; `lost` once someone else holds the import. */
export function holdLease(ctx: AppContext, held: Held, log: Logger) {
  const ttl = ctx.config.WORKER_TIMEOUT_SECONDS;
  let lost = false;
  const renew = async () => {
    try {
      const renewed = await ctx.database.db
        .update(imports)
        .set({ leaseExpiresAt: leaseEnd(ttl) })
        .where(heldBy(held))
        .returning({ id: imports.id });
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
export async function releaseImport(db: Db, held: Held): Promise<void> {
  await db.update(imports).set({ leaseExpiresAt: now }).where(heldBy(held));
}

/** Outside the import's transaction, while this attempt holds the import. */
export async function saveProgress(
  db: Db,
  held: Held,
  counts: ImportCounts,
  errors: ImportError[],
) {
  await db
    .update(imports)
    .set({ ...counts, errors })
    .where(heldBy(held));
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
  if (!(await finishImport(tx, held, counts, errors))) {
    throw new Error('another attempt took the import over');
  }
  await deleteUpload(tx, held.importId);
}

/** Fails the import, unless a later attempt holds it or it completed. */
export async function failImport(db: Db, held: Held, failure: string): Promise<void> {
  await db.transaction(async (tx) => {
    const failed = await tx
      .update(imports)
      .set({ status: 'failed', finishedAt: sql`now()`, failure, leaseExpiresAt: null })
      .where(heldBy(held))
      .returning({ id: imports.id });
    if (failed.length > 0) {
      await tx.delete(importUploads).where(eq(importUploads.importId, held.importId));
    }
  });
}
