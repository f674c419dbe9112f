import { and, eq, lt, sql } from 'drizzle-orm';
import type { AppContext } from '../../context';
import { imports } from '../../db/schema';
import { enqueue } from '../../queue/send';
import { IMPORT_CSV_QUEUE } from './import-csv.job';
import { IMPORT_ATTEMPTS } from './import-lease';
import { deleteUpload, endLapsedImport } from './queries';

/**
 * In the recovery sweep: each running import whose lease lapsed (its process died, froze or
 * lost the database; its attempt failed) is queued for a next attempt, or failed after the
 * last one. One conditional update each: sweeps of several workers act once.
 */
export async function restartLapsedImports(ctx: AppContext): Promise<void> {
  const { db } = ctx.database;
  // imports_running_lease_idx
  const lapsed = await db
    .select({ importId: imports.id })
    .from(imports)
    .where(and(eq(imports.status, 'running'), lt(imports.leaseExpiresAt, sql`clock_timestamp()`)));
  for (const { importId } of lapsed) {
    // a postgres.js transaction, which the job joins: its statements are raw
    await ctx.database.sql.begin(async (tx) => {
      const ended = await endLapsedImport(tx, importId, IMPORT_ATTEMPTS);
      if (!ended) return;
      const log = ctx.logger.child({ importId, attempt: ended.attempts });
      if (ended.status === 'failed') {
        await deleteUpload(tx, importId);
        log.error('import failed: it stopped without finishing too often');
        return;
      }
      await enqueue(ctx, IMPORT_CSV_QUEUE, { importId }, { tx });
      log.warn('import stopped without finishing: queued to start again');
    });
  }
}
