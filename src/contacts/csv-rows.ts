import { Readable } from 'node:stream';
import Papa from 'papaparse';
import type { Sql } from '../db/client';

/** The stored upload's chunks in order, one at a time: memory stays at one chunk. */
async function* uploadChunks(sql: Sql, importId: string): AsyncGenerator<Uint8Array> {
  for (let seq = 0; ; seq++) {
    const [row] = await sql<{ data: Buffer }[]>`
      select data from import_uploads where import_id = ${importId} and seq = ${seq}`;
    if (!row) return;
    yield row.data;
  }
}

/**
 * Decodes to strings before papaparse sees them (a UTF-8 character split between two chunks
 * would otherwise become U+FFFD) and drops the BOM (TextDecoder does by default).
 */
async function* uploadText(sql: Sql, importId: string): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of uploadChunks(sql, importId)) {
    const text = decoder.decode(chunk, { stream: true });
    if (text) yield text;
  }
  const rest = decoder.decode();
  if (rest) yield rest;
}

/**
 * The rows of a stored upload, header first, one array of rows per chunk of the upload. Lines
 * with no content (blank, or only delimiters) are skipped.
 *
 * Papaparse's duplex stream is not used: its reader side pauses the parser every 16 rows, and
 * each resume re-slices the rest of the chunk (quadratic: 100,000 rows took 90 s). Here it
 * parses one whole chunk per callback and is paused until the consumer has taken that chunk's
 * rows, so memory stays at a chunk and a consumer's await holds the reading back.
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
}
