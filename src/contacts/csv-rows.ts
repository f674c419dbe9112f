import { Readable } from 'node:stream';
import Papa from 'papaparse';
import type { Sql } from '../db/client';

/** How many stored chunks (64 Ki characters each) one round trip fetches. */
const CHUNKS_PER_FETCH = 16;

/**
 * Text is handed to papaparse at most this much at a time, so that a batch of rows (about 1,400
 * of a typical file) is staged in a few milliseconds: the event loop (HTTP requests, sends)
 * never waits long, and a batch's rows die young instead of piling up in the old generation.
 * (A chunk stored before migration 0005 holds a whole upload.)
 */
const TEXT_PIECE = 64 * 1024;

/**
 * The stored upload's text in order: checked UTF-8 without its BOM when it was received. A
 * piece may end inside a row, or between the halves of a surrogate pair: papaparse carries the
 * partial row over to the next piece.
 */
async function* uploadText(sql: Sql, importId: string): AsyncGenerator<string> {
  const chunks = sql<{ data: string }[]>`
    select data from import_uploads where import_id = ${importId} order by seq`.cursor(
    CHUNKS_PER_FETCH,
  );
  for await (const rows of chunks) {
    for (const { data } of rows) {
      for (let at = 0; at < data.length; at += TEXT_PIECE) yield data.slice(at, at + TEXT_PIECE);
    }
  }
}

/**
 * The rows of a stored upload, header first, one array of rows per piece of its text. Lines
 * with no content (blank, or only delimiters) are skipped.
 *
 * Papaparse's duplex stream is not used: its reader side pauses the parser every 16 rows, and
 * each resume re-slices the rest of the chunk (quadratic: 100,000 rows took 90 s). Here it
 * parses one whole piece per callback and is paused until the consumer has taken that piece's
 * rows, so memory stays at a piece and a consumer's await holds the reading back.
 */
export async function* uploadRowBatches(
  sql: Sql,
  importId: string,
  delimiter: string,
): AsyncGenerator<string[][]> {
  const source = Readable.from(uploadText(sql, importId));
  const ready: string[][][] = [];
  let finished = false;
  let failure: unknown;
  let parser: Papa.Parser | undefined;
  let wake: (() => void) | undefined;
  const signal = () => {
    wake?.();
    wake = undefined;
  };
  Papa.parse<string[]>(source as unknown as File, {
    delimiter,
    skipEmptyLines: 'greedy',
    chunk: (results, handle) => {
      parser = handle;
      handle.pause();
      ready.push(results.data);
      signal();
    },
    complete: () => {
      finished = true;
      signal();
    },
    error: (error: unknown) => {
      failure = error;
      signal();
    },
  });
  source.on('error', (error) => {
    failure = error;
    signal();
  });
  try {
    for (;;) {
      const batch = ready.shift();
      if (batch) {
        yield batch;
        continue;
      }
      if (failure) throw failure;
      if (finished) return;
      const waiting = new Promise<void>((resolve) => {
        wake = resolve;
      });
      const paused = parser;
      parser = undefined;
      paused?.resume();
      await waiting;
    }
  } finally {
    // A consumer that stops early (a failed import) ends the reading: the cursor's connection
    // goes back to the pool.
    source.destroy();
  }
}
