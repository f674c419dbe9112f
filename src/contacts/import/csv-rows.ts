import { setImmediate } from 'node:timers/promises';
import type { Sql } from '../../db/client';
import { CsvReader, type RowBatch } from './csv-reader';
import { uploadChunks } from './queries';

/** How many stored chunks (64 Ki characters each) one round trip fetches. */
const CHUNKS_PER_FETCH = 16;

/**
 * Text is handed to papaparse at most this much at a time, so that a batch of rows (about 1,400
 * of a typical file) is staged in a few milliseconds: the event loop never waits long, and a
 * batch's rows die young instead of piling up in the old generation.
 * (A chunk stored before migration 0005 holds a whole upload.)
 */
const TEXT_PIECE = 64 * 1024;

/**
 * The stored upload's text in order: checked UTF-8 without its BOM when it was received. A
 * piece may end inside a row, or between the halves of a surrogate pair: the reader carries the
 * partial row over to the next piece.
 */
async function* uploadText(sql: Sql, importId: string): AsyncGenerator<string> {
  for await (const rows of uploadChunks(sql, importId, CHUNKS_PER_FETCH)) {
    for (const { data } of rows) {
      for (let at = 0; at < data.length; at += TEXT_PIECE) yield data.slice(at, at + TEXT_PIECE);
    }
  }
}

/**
 * The rows of a stored upload, header first, in batches of one piece of its text each, with the
 * problems (see CsvReader) in their place. Each piece lets the event loop run (HTTP requests,
 * sends) before the next; a consumer's await holds the reading back.
 */
export async function* uploadRowBatches(
  sql: Sql,
  importId: string,
  delimiter: string,
  maxRowChars: number,
): AsyncGenerator<RowBatch> {
  const reader = new CsvReader(delimiter, maxRowChars);
  for await (const piece of uploadText(sql, importId)) {
    yield* reader.push(piece);
    await setImmediate();
  }
  yield* reader.end();
}
