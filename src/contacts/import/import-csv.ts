import type { TransactionSql } from 'postgres';
import type { AppContext } from '../../context';
import type { ImportError } from '../../db/schema';
import type { Logger } from '../../logger';
import { cutText } from '../../text';
import { uploadRowBatches } from './csv-rows';
import { FileRejected } from './file-layout';
import {
  attemptName,
  type Claim,
  claimImport,
  completeImport,
  failImport,
  type Held,
  holdLease,
  IMPORT_ATTEMPTS,
  type ImportCounts,
  releaseImport,
  saveProgress,
} from './import-lease';
import { type Block, runPipeline } from './import-pipeline';
import {
  dropSegments,
  endEarlierAttempts,
  nameSession,
  resetSessionName,
  tryTransactionLock,
  waitForTransactionLock,
} from './queries';
import { RowStager } from './row-stager';
import type { RejectedRow } from './staging-rows';

/** COPY text is sent in blocks of about this many characters (a megabyte or so). */
const BLOCK_CHARS = 1024 * 1024;

const MAX_ERRORS = 1000;

/**
 * Imports a stored upload into its list, in one transaction, as one attempt under the import's
 * lease (import-lease.ts). This thread parses the rows in
 * small batches, normalises their phones and writes the accepted ones as blocks of COPY text
 * (staging-rows.ts); a connection of its own COPYs them into segment tables while the
 * transaction merges them into contacts and the list (import-pipeline.ts). The import is marked
 * completed in the same commit: a failure or a crash leaves nothing of the file behind, and the
 * next attempt starts again from zero. Progress (rows read, invalid rows and their errors, and the
 * counts of the segments merged so far) is saved outside the transaction, so
 * GET /v1/imports/{id} shows it while the import runs.
 *
 * Memory stays bounded: the queues between the parts are, a batch's rows are garbage once
 * staged, and duplicates are found by PostgreSQL, not in a set of every phone. (No worker
 * threads for the phones: at a few µs a number, each would add some 75 MB of memory and no
 * speed, since the database's merges are the longer part of the work: docs/decisions.md.)
 */
export async function importCsv(ctx: AppContext, importId: string): Promise<void> {
  const claim = await claimImport(ctx, importId);
  if (!claim) return; // done, failed, or held by a live attempt
  const held = { importId, attempt: claim.attempt };
  const log = ctx.logger.child({ importId, listId: claim.listId, attempt: claim.attempt });
  if (claim.attempt > 1) log.warn('import starting again after an attempt that did not finish');
  const lease = holdLease(ctx, held, log);
  try {
    await runAttempt(ctx, held, claim, lease.lost, log);
  } catch (error) {
    if (claim.attempt >= IMPORT_ATTEMPTS) {
      await failImport(ctx.database.db, held, String(error));
      log.error({ err: error }, 'import failed');
    } else {
      log.warn({ err: error }, 'import attempt failed; the import starts again');
      await releaseImport(ctx.database.db, held).catch(() => {}); // else its lease lapses
    }
  } finally {
    lease.stop();
  }
}

async function runAttempt(
  ctx: AppContext,
  held: Held,
  { listId, options }: Claim,
  lost: () => boolean,
  log: Logger,
): Promise<void> {
  const { sql } = ctx.database;
  const { importId } = held;
  const started = Date.now();
  const delimiter = options.delimiter ?? ',';
  const counts: ImportCounts = {
    rows: 0,
    created: 0,
    updated: 0,
    duplicates: 0,
    invalid: 0,
    errorCounts: {},
  };
  const errors: ImportError[] = [];
  const reject = (error: RejectedRow) => {
    counts.invalid++;
    counts.errorCounts[error.kind] = (counts.errorCounts[error.kind] ?? 0) + 1;
    if (errors.length < MAX_ERRORS) errors.push({ ...error, value: cutText(error.value, 200) });
  };

  // Progress is saved after every block staged and every segment merged, one save at a time (the
  // latest counts win), and never after the import's own final update.
  let saving: Promise<void> | undefined;
  let stale = false;
  const report = () => {
    if (saving) {
      stale = true;
      return;
    }
    saving = (async () => {
      do {
        stale = false;
        await saveProgress(ctx.database.db, held, counts, errors);
      } while (stale);
    })()
      .catch((error: unknown) => log.warn({ err: error }, 'import progress not saved'))
      .finally(() => {
        saving = undefined;
      });
  };

  const produce = async (put: (block: Block) => Promise<void>) => {
    const stager = new RowStager({ ...options, delimiter }, ctx.config);
    let texts: string[] = [];
    let chars = 0;
    let staged = 0;
    const send = async () => {
      const block: Block = { text: texts.join(''), staged };
      texts = [];
      chars = 0;
      staged = 0;
      report();
      await put(block);
    };
    const { IMPORT_MAX_ROW_CHARS } = ctx.config;
    for await (const batch of uploadRowBatches(sql, importId, delimiter, IMPORT_MAX_ROW_CHARS)) {
      if (lost()) throw new Error('another attempt took the import over');
      const result = stager.take(batch);
      counts.rows = stager.rows;
      result.rejected.forEach(reject);
      texts.push(result.text);
      chars += result.text.length;
      staged += result.staged;
      if (chars >= BLOCK_CHARS) await send();
    }
    await send();
  };

  let staged = 0;
  const merged = (rows: number, merge: { created: number; updated: number }) => {
    staged += rows;
    counts.created += merge.created;
    counts.updated += merge.updated;
    counts.duplicates = staged - counts.created - counts.updated;
    report();
  };

  // The attempts before may have left sessions and segment tables behind. Ending the sessions
  // is a help, not a must: without it, this attempt waits for their locks.
  await endEarlierAttempts(sql, held).catch((error: unknown) =>
    log.warn({ err: error }, 'could not end the sessions of earlier attempts'),
  );
  await dropSegments(sql, importId);
  try {
    await sql.begin(async (tx) => {
      await nameSession(tx, attemptName(held), true);
      await waitForOtherImports(tx, log);
      const staging = await sql.reserve();
      try {
        await nameSession(staging, attemptName(held), false);
        const segmentRows = ctx.config.IMPORT_SEGMENT_ROWS;
        await runPipeline({ ...held, listId, segmentRows, staging, tx, produce, merged });
      } finally {
        await resetSessionName(staging).catch(() => {});
        staging.release();
      }
      await saving;
      await completeImport(tx, held, counts, errors);
    });
  } catch (error) {
    if (!(error instanceof FileRejected)) throw error;
    await saving;
    await failImport(ctx.database.db, held, error.message);
    log.info({ failure: error.message }, 'import failed: the file cannot be imported');
    return;
  } finally {
    await dropSegments(sql, importId, held.attempt).catch((error: unknown) =>
      log.warn({ err: error }, 'could not drop the segments of the import'),
    );
  }
  log.info({ ...counts, ms: Date.now() - started }, 'import completed');
}

/** "import" in ASCII: the advisory lock that one import at a time holds, in any process. */
const IMPORT_LOCK_KEY = 0x696d706f7274;

/**
 * Imports run one at a time across processes: the lock is held until this import's transaction
 * ends. Two imports that share phones would otherwise lock them in opposite orders across their
 * segments, and PostgreSQL would abort one (a deadlock) to start again from zero, up to the
 * job's retries. On a small machine two imports at once are no faster anyway: each keeps a
 * database core busy with its merges.
 */
async function waitForOtherImports(tx: TransactionSql, log: Logger): Promise<void> {
  if (await tryTransactionLock(tx, IMPORT_LOCK_KEY)) return;
  log.info('waiting for another import to end');
  await waitForTransactionLock(tx, IMPORT_LOCK_KEY);
}
