import { z } from '@hono/zod-openapi';
import { BigintKey, decodeCursor as decodeKey, encodeCursor as encodeKey } from './pagination';

/**
 * Keyset cursors for lists ordered newest first: the last row's creation time in microseconds
 * (PostgreSQL's precision: a JavaScript Date would drop rows created within the same
 * millisecond) and its id, in the opaque cursor format of pagination.ts.
 */
export type Cursor = { micros: string; id: string };

const Key = z.tuple([BigintKey, z.uuid()]);

export function encodeCursor(micros: string, id: string): string {
  return encodeKey([micros, id]);
}

export function decodeCursor(cursor: string): Cursor {
  const [micros, id] = decodeKey(cursor, Key) as [string, string];
  return { micros, id };
}
