import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import { finished } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ReservedSql, TransactionSql } from 'postgres';
import {
  countSegmentRows,
  createSegment,
  idPrefix,
  mergeSegment,
  openSegmentCopy,
  segmentTable,
  sortInMemory,
} from './queries';

/**
 * Blocks of COPY text waiting for the database: 16 of about a megabyte, more than a segment's
 * COPY text (100,000 rows of a typical file are about 8 MB), so that parsing goes on while the
 * database merges a segment.
 */
const BLOCKS_AHEAD = 16;

/** The longest wait for the server's verdict on a segment's COPY once all of it is sent. */
const COPY_VERDICT_MS = 30_000;

/** COPY text of some accepted rows, and how many rows it holds. */
export type Block = { text: string; staged: number };

type Segment = { table: string; rows: number };

type Pipeline = {
  importId: string;
  /** The import's attempt: its segment tables are its own. */
  attempt: number;
  listId: string;
  segmentRows: number;
  /** A connection of its own for the COPY, outside the import's transaction. */
  staging: ReservedSql;
  /** The import's transaction, which merges. */
  tx: TransactionSql;
  /** The parser: hands each block to `put`, which waits while BLOCKS_AHEAD are queued. */
  produce: (put: (block: Block) => Promise<void>) => Promise<void>;
  /** After each merge: the segment's rows, and how many contacts it created and updated. */
  merged: (rows: number, counts: { created: number; updated: number }) => void;
};

/**
 * Runs the three parts of an import at once, so that the two cores of a small machine are both
 * busy: the parser (`produce`), the COPY of its blocks into segment tables on the staging
 * connection, and the merge of each segment in the import's transaction. Queues between them
 * are bounded (BLOCKS_AHEAD blocks; one segment waiting for the merge). The first part to fail
 * aborts the others, and this answers only once all three have stopped (with that first
 * failure), so that the caller may then release the staging connection and drop the segments.
 */
export async function runPipeline(pipeline: Pipeline): Promise<void> {
  const abort = new AbortController();
  const { signal } = abort;
  const blocks = new PassThrough({ objectMode: true, highWaterMark: BLOCKS_AHEAD });
  const segments = new PassThrough({ objectMode: true, highWaterMark: 1 });
  // A failure reaches every part through the abort; a destroyed queue must not throw by itself.
  for (const queue of [blocks, segments]) queue.on('error', () => {});
  signal.addEventListener('abort', () => {
    blocks.destroy(signal.reason);
    segments.destroy(signal.reason);
  });
  const put = async (queue: PassThrough, item: Block | Segment) => {
    signal.throwIfAborted();
    if (!queue.write(item)) await once(queue, 'drain', { signal });
  };
  const part = async (work: () => Promise<void>) => {
    try {
      await work();
    } catch (error) {
      if (!signal.aborted) abort.abort(error);
      throw error;
    }
  };
  await Promise.allSettled([
    part(async () => {
      await pipeline.produce((block) => put(blocks, block));
      blocks.end();
    }),
    part(async () => {
      await copySegments(pipeline, blocks, (segment) => put(segments, segment), signal);
      segments.end();
    }),
    part(() => mergeSegments(pipeline, segments)),
  ]);
  if (signal.aborted) throw signal.reason;
}

/** COPYs the blocks into segment tables of about `segmentRows` rows, and hands each on. */
async function copySegments(
  { importId, attempt, segmentRows, staging }: Pipeline,
  blocks: PassThrough,
  put: (segment: Segment) => Promise<void>,
  signal: AbortSignal,
): Promise<void> {
  const source = blocks[Symbol.asyncIterator]();
  for (let number = 0, done = false; !done; number++) {
    const table = segmentTable(importId, attempt, number);
    await createSegment(staging, table);
    const copy = await openSegmentCopy(staging, table);
    // The stream may fail while this part waits for the parser (its connection ended by a later
    // attempt, or lost): kept here and thrown at the next step, never an unhandled 'error' event
    // that would end the process.
    let failure: Error | undefined;
    copy.on('error', (error: Error) => {
      failure ??= error;
    });
    let rows = 0;
    try {
      while (rows < segmentRows) {
        const next = await source.next();
        if (failure) throw failure;
        if (next.done) {
          done = true;
          break;
        }
        const block = next.value as Block;
        rows += block.staged;
        if (block.text.length > 0 && !copy.write(block.text)) {
          await once(copy, 'drain', { signal });
        }
      }
      copy.end();
      // postgres.js 3.4 lets go of a COPY's stream at its end: an error the server reports then
      // (a cancel, a lost connection) never reaches it, and `finish` never comes. So the wait is
      // bounded, and a count says whether every row is there.
      await Promise.race([
        finished(copy, { signal }),
        sleep(COPY_VERDICT_MS, undefined, { ref: false }),
      ]);
      if (failure) throw failure;
    } catch (error) {
      // Ends the COPY with a failure, so that the connection is usable again. The stream then
      // emits the failure, which is this part's own, thrown below: not another one to handle.
      copy.destroy(error as Error);
      throw error;
    }
    const stored = await countSegmentRows(staging, table);
    if (stored !== rows) {
      throw new Error(`segment ${table} holds ${stored} rows of the ${rows} copied`);
    }
    // An empty last segment is not merged.
    if (rows > 0) await put({ table, rows });
  }
}

async function mergeSegments(
  { importId, listId, tx, merged }: Pipeline,
  segments: PassThrough,
): Promise<void> {
  const prefix = idPrefix();
  await sortInMemory(tx);
  for await (const { table, rows } of segments as AsyncIterable<Segment>) {
    merged(rows, await mergeSegment(tx, table, importId, listId, prefix));
  }
}
