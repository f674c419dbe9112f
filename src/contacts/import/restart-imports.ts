import type { AppContext } from '../../context';
import { enqueue } from '../../queue/send';
import { IMPORT_CSV_QUEUE } from './import-csv.job';
import { IMPORT_ATTEMPTS } from './import-lease';

/**
 * In the recovery sweep: each running import whose lease lapsed (its process died, froze or
 * lost the database; its attempt failed) is queued for a next attempt, or failed after the
 * last one. One conditional update each: sweeps of several workers act once.
 */
export async function restartLapsedImports(ctx: AppContext): Promise<void> {
  const { sql } = ctx.database;
  const lapsed = await sql<{ importId: string }[]>`
    select id as "importId" from imports
    where status = 'running' and lease_expires_at < clock_timestamp()`;
  for (const { importId } of lapsed) {
    await sql.begin(async (tx) => {
      const [ended] = await tx<{ status: string; attempts: number }[]>`
        update imports set lease_expires_at = null,
          status = case when attempts >= ${IMPORT_ATTEMPTS} then 'failed' else 'queued' end::import_status,
          finished_at = case when attempts >= ${IMPORT_ATTEMPTS} then now() end,
          failure = case when attempts >= ${IMPORT_ATTEMPTS}
            then 'the import stopped without finishing ' || attempts || ' times (its worker died, or lost the database)' end
        where id = ${importId} and status = 'running' and lease_expires_at < clock_timestamp()
        returning status, attempts`;
      if (!ended) return;
      const log = ctx.logger.child({ importId, attempt: ended.attempts });
      if (ended.status === 'failed') {
        await tx`delete from import_uploads where import_id = ${importId}`;
        log.error('import failed: it stopped without finishing too often');
        return;
      }
      await enqueue(ctx, IMPORT_CSV_QUEUE, { importId }, { tx });
      log.warn('import stopped without finishing: queued to start again');
    });
  }
}
