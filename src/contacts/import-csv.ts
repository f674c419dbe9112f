import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { CountryCode } from 'libphonenumber-js/max';
import type { ReservedSql, TransactionSql } from 'postgres';
import type { AppContext } from '../context';
import type { ImportError } from '../db/schema';
import { normalizeHeaders } from './csv-header';
import { uploadRowBatches } from './csv-rows';
import { type FileLayout, stageRows } from './staging-rows';
import {
  createSegment,
  dropSegments,
  idPrefix,
  mergeSegment,
  openSegmentCopy,
  segmentTable,
} from './write-contacts';

/** COPY text is sent in blocks of about this many characters (a megabyte or so). */
const BLOCK_CHARS = 1024 * 1024;
/**
 * Blocks waiting for the database: 16 MB, more than a segment's COPY text (100,000 rows of a
 * typical file are about 8 MB), so that parsing goes on while the database merges a segment.
 */
const BLOCKS_AHEAD = 16;

const MAX_ERRORS = 1000;

type Counts = {
  rows: number;
  created: number;
  updated: number;
  duplicates: number;
  invalid: number;
};

/** COPY text of some accepted rows, and how many rows it holds. */
type Block = { data: Uint8Array; staged: number };

/**
 * Imports a stored upload into its list, in one transaction. Three parts work at once, so that
 * the two cores of a small machine are both busy:
 * - this thread parses the rows in small batches, normalises their phones and writes the
 *   accepted ones as blocks of COPY text (staging-rows.ts);
 * - a connection of its own COPYs the blocks into segment tables of about IMPORT_SEGMENT_ROWS
 *   rows each (write-contacts.ts);
 * - the import's transaction merges each segment into contacts and the list with one statement.
 * The import is marked completed in the same commit: a failure or a crash leaves nothing of the
 * file behind, and a retry starts again from zero. Progress (rows read, invalid rows and their
 * errors, and the counts of the segments merged so far) is saved outside the transaction, so
 * GET /v1/imports/{id} shows it while the import runs.
 *
 * Memory stays bounded: the parser waits when BLOCKS_AHEAD blocks of COPY text are queued, the
 * COPY waits when a segment is already waiting for the merge, a batch's rows are garbage once
 * staged, and duplicates are found by PostgreSQL, not in a set of every phone. (Worker threads
 * did the phones until their cost fell from 8 µs a number to 3 µs: each added some 75 MB of
 * memory and no speed, since the database's merges are the longer part of the work.)
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

  // Object mode, BLOCKS_AHEAD blocks: the producer waits on 'drain' when the database lags.
  const blocks = new PassThrough({ objectMode: true, highWaterMark: BLOCKS_AHEAD });
  const encoder = new TextEncoder();

  const produce = async () => {
    let layout: FileLayout | undefined;
    let texts: string[] = [];
    let chars = 0;
    let staged = 0;
    const send = async () => {
      const block: Block = { data: encoder.encode(texts.join('')), staged };
      texts = [];
      chars = 0;
      staged = 0;
      report();
      if (!blocks.write(block)) await once(blocks, 'drain');
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
      const result = stageRows(rows, counts.rows + 1, layout);
      counts.rows += rows.length;
      for (const { row, value, reason } of result.rejected) reject(row, value, reason);
      texts.push(result.text);
      chars += result.text.length;
      staged += result.staged;
      if (chars >= BLOCK_CHARS) await send();
    }
    await send();
    blocks.end();
  };

  // Segments COPYed and waiting for the merge: at most one, besides the one being copied.
  const segments = new PassThrough({ objectMode: true, highWaterMark: 1 });

  const stage = async (staging: ReservedSql) => {
    const source = blocks[Symbol.asyncIterator]();
    for (let number = 0, done = false; !done; number++) {
      const table = segmentTable(importId, number);
      await createSegment(staging, table);
      const copy = await openSegmentCopy(staging, table);
      let rows = 0;
      try {
        while (rows < ctx.config.IMPORT_SEGMENT_ROWS) {
          const next = await source.next();
          if (next.done) {
            done = true;
            break;
          }
          const block = next.value as Block;
          rows += block.staged;
          if (block.data.length > 0 && !copy.write(block.data)) await once(copy, 'drain');
        }
        copy.end();
        await finished(copy);
      } catch (error) {
        // Ends the COPY with a failure, so that the connection is usable again.
        copy.destroy(error as Error);
        throw error;
      }
      if (!segments.write({ table, rows })) await once(segments, 'drain');
    }
    segments.end();
  };

  const merge = async (tx: TransactionSql) => {
    const prefix = idPrefix();
    let staged = 0;
    for await (const { table, rows } of segments as AsyncIterable<{
      table: string;
      rows: number;
    }>) {
      staged += rows;
      const merged = await mergeSegment(tx, table, importId, listId, prefix);
      counts.created += merged.created;
      counts.updated += merged.updated;
      counts.duplicates = staged - counts.created - counts.updated;
      report();
    }
  };

  // A retry after a crash finds the segments of the attempt before.
  await dropSegments(sql, importId);
  const staging = await sql.reserve();
  try {
    await sql.begin(async (tx) => {
      const failed = (error: unknown) => {
        // Whichever part fails first stops the others.
        blocks.destroy(error as Error);
        segments.destroy(error as Error);
        throw error;
      };
      await Promise.all([
        produce().catch(failed),
        stage(staging).catch(failed),
        merge(tx).catch(failed),
      ]);
      await saving;
      await finishImport(tx, importId, counts, errors);
    });
  } finally {
    blocks.destroy();
    segments.destroy();
    staging.release();
    await dropSegments(sql, importId).catch((error: unknown) =>
      log.warn({ err: error }, 'could not drop the segments of the import'),
    );
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
  await dropSegments(sql, importId);
}
