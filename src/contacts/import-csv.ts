import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { CountryCode } from 'libphonenumber-js/max';
import type { TransactionSql } from 'postgres';
import type { AppContext } from '../context';
import type { ImportError } from '../db/schema';
import { normalizeHeaders } from './csv-header';
import { uploadRowBatches } from './csv-rows';
import type { ChunkLayout, StagedChunk } from './staging-chunk';
import { StagingPool } from './staging-pool';
import { createStaging, idPrefix, mergeStaged, openStagingCopy } from './write-contacts';

/** Chunks (about 1 MB of file each) being staged by the workers besides the one taken. */
const NORMALIZE_AHEAD = 2;
/** Blocks of COPY text (one chunk of the file each) waiting for the database: a few MB. */
const STAGED_AHEAD = 4;

const MAX_ERRORS = 1000;

type Counts = {
  rows: number;
  created: number;
  updated: number;
  duplicates: number;
  invalid: number;
};

/**
 * Imports a stored upload into its list, in one transaction. This thread parses the rows; worker
 * threads normalise their phones and turn the accepted ones into blocks of COPY text (staging-
 * chunk.ts); meanwhile the transaction streams segments of about IMPORT_SEGMENT_ROWS rows by COPY into a temporary table and
 * merges each into contacts and the list with one statement, so parsing and the database work at
 * the same time. The import is marked completed in the same commit: a failure or a crash leaves
 * nothing of the file behind, and a retry starts again from zero. Progress (rows read, invalid
 * rows and their errors, and the counts of the segments merged so far) is saved outside the
 * transaction, so GET /v1/imports/{id} shows it while the import runs.
 *
 * Memory stays bounded: the parser waits for the workers (at most NORMALIZE_AHEAD chunks ahead)
 * and for the queue of blocks (STAGED_AHEAD), which COPY and the merges drain; parsed rows leave
 * this thread's heap for the workers' small capped ones at once, and come back as bytes outside
 * any heap; duplicates are found by PostgreSQL, not in a set of every phone.
 */
export async function importCsv(ctx: AppContext, importId: string): Promise<void> {
  const { sql } = ctx.database;
  // A retry after a crash starts the file again, from zero counts.
  const [claimed] = await sql<{ listId: string; options: Record<string, string> }[]>`
    update imports set status = 'running', rows = 0, created = 0, updated = 0, duplicates = 0,
      invalid = 0, errors = '[]', failure = null
    where id = ${importId} and status in ('queued', 'running')
    returning list_id as "listId", options`;
  if (!claimed) return;
  const { listId, options } = claimed;
  const log = ctx.logger.child({ importId, listId });
  const started = Date.now();
  const defaultCountry = options.defaultCountry as CountryCode | undefined;
  const delimiter = options.delimiter ?? ',';
  const counts: Counts = { rows: 0, created: 0, updated: 0, duplicates: 0, invalid: 0 };
  const errors: ImportError[] = [];
  const reject = (row: number, value: string, reason: string) => {
    counts.invalid++;
    if (errors.length < MAX_ERRORS) errors.push({ row, value, reason });
  };

  // Progress is saved after every chunk read and every segment merged, one save at a time (the
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
        await saveProgress(ctx, importId, counts, errors);
      } while (stale);
    })()
      .catch((error: unknown) => log.warn({ err: error }, 'import progress not saved'))
      .finally(() => {
        saving = undefined;
      });
  };

  const pool = new StagingPool();
  // Object mode, STAGED_AHEAD blocks: the producer waits on 'drain' when the database lags.
  const blocks = new PassThrough({ objectMode: true, highWaterMark: STAGED_AHEAD });

  // This thread parses; the workers stage chunks (at most NORMALIZE_AHEAD ahead of the one
  // taken), and chunks are taken in file order, so errors come in row order.
  const produce = async () => {
    let layout: ChunkLayout | undefined;
    const staging: Promise<StagedChunk>[] = [];
    const next = async () => {
      const chunk = await (staging.shift() as Promise<StagedChunk>);
      for (const { row, value, reason } of chunk.rejected) reject(row, value, reason);
      report();
      if (!blocks.write(chunk)) await once(blocks, 'drain');
    };
    for await (const batch of uploadRowBatches(sql, importId, delimiter)) {
      let rows = batch;
      if (!layout) {
        if (rows.length === 0) continue;
        const headers = normalizeHeaders(rows[0] as string[]);
        const phoneIndex = headers.indexOf(options.phoneColumn ?? '');
        if (phoneIndex === -1)
          throw new Error(`phone column ${options.phoneColumn} not in the header`);
        const keys = headers.map((header, i) => (i === phoneIndex ? '' : JSON.stringify(header)));
        layout = { keys, phoneIndex, delimiter, ...(defaultCountry ? { defaultCountry } : {}) };
        rows = rows.slice(1);
      }
      staging.push(pool.stage(rows, counts.rows + 1, layout));
      counts.rows += rows.length;
      if (staging.length > NORMALIZE_AHEAD) await next();
    }
    while (staging.length > 0) await next();
    blocks.end();
  };

  const stageAndMerge = (tx: TransactionSql) => async () => {
    const prefix = idPrefix();
    let staged = 0;
    const source = blocks[Symbol.asyncIterator]();
    for (let done = false; !done; ) {
      const copy = await openStagingCopy(tx);
      let segment = 0;
      try {
        while (segment < ctx.config.IMPORT_SEGMENT_ROWS) {
          const next = await source.next();
          if (next.done) {
            done = true;
            break;
          }
          const block = next.value as StagedChunk;
          segment += block.staged;
          if (block.data.length > 0 && !copy.write(block.data)) await once(copy, 'drain');
        }
        copy.end();
        await finished(copy);
      } catch (error) {
        // Ends the COPY with a failure, so that the transaction can roll back.
        copy.destroy(error as Error);
        throw error;
      }
      staged += segment;
      const merged = await mergeStaged(tx, importId, listId, prefix);
      counts.created += merged.created;
      counts.updated += merged.updated;
      counts.duplicates = staged - counts.created - counts.updated;
      report();
    }
  };

  try {
    await sql.begin(async (tx) => {
      await createStaging(tx);
      const failed = (error: unknown) => {
        // Whichever side fails first stops the other one.
        blocks.destroy(error as Error);
        throw error;
      };
      await Promise.all([produce().catch(failed), stageAndMerge(tx)().catch(failed)]);
      await saving;
      await finishImport(tx, importId, counts, errors);
    });
  } finally {
    blocks.destroy();
    await pool.close();
  }
  log.info({ ...counts, ms: Date.now() - started }, 'import completed');
}

async function saveProgress(
  ctx: AppContext,
  importId: string,
  counts: Counts,
  errors: ImportError[],
) {
  const { sql } = ctx.database;
  await sql`
    update imports set rows = ${counts.rows}, created = ${counts.created}, updated = ${counts.updated},
      duplicates = ${counts.duplicates}, invalid = ${counts.invalid}, errors = ${JSON.stringify(errors)}::jsonb
    where id = ${importId}`;
}

/** In the import's transaction: the counts, the end of the upload, the opt-outs' contacts. */
async function finishImport(
  tx: TransactionSql,
  importId: string,
  counts: Counts,
  errors: ImportError[],
) {
  await tx`
      update imports set status = 'completed', finished_at = clock_timestamp(), rows = ${counts.rows},
        created = ${counts.created}, updated = ${counts.updated}, duplicates = ${counts.duplicates},
        invalid = ${counts.invalid}, errors = ${JSON.stringify(errors)}::jsonb
      where id = ${importId}`;
  await tx`delete from import_uploads where import_id = ${importId}`;
  // Opt-outs recorded before the contact existed now point at it.
  await tx`
      update opt_outs o set contact_id = c.id from contacts c
      where o.contact_id is null and c.phone = o.phone and c.created_by_import_id = ${importId}`;
}

export async function failImport(ctx: AppContext, importId: string, error: unknown): Promise<void> {
  const { sql } = ctx.database;
  await sql`
    update imports set status = 'failed', finished_at = now(), failure = ${String(error)}
    where id = ${importId} and status <> 'completed'`;
  await sql`delete from import_uploads where import_id = ${importId}`;
}
