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
 * The rows of a stored upload, header first, each an array of fields. Lines with no content
 * (blank, or only delimiters) are skipped. Papaparse's duplex stream parses a chunk only when
 * its reader asks for more, so a slow consumer holds the whole pipeline back.
 */
export function uploadRows(sql: Sql, importId: string, delimiter: string): AsyncIterable<string[]> {
  const parser = Papa.parse(Papa.NODE_STREAM_INPUT, { delimiter, skipEmptyLines: 'greedy' });
  const source = Readable.from(uploadText(sql, importId));
  source.on('error', (error) => parser.destroy(error));
  return source.pipe(parser);
}
