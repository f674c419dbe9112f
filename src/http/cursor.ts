import { AppError } from '../errors';

/**
 * Keyset cursors for lists ordered newest first: the last row's creation time in microseconds
 * (PostgreSQL's precision: a JavaScript Date would drop rows created within the same
 * millisecond) and its id, opaque to clients (base64url).
 */
export type Cursor = { micros: string; id: string };

export function encodeCursor(micros: string, id: string): string {
  return Buffer.from(`${micros}|${id}`).toString('base64url');
}

export function decodeCursor(cursor: string): Cursor {
  const [micros, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (!micros || !/^\d{1,20}$/.test(micros) || !id || !/^[0-9a-f-]{36}$/i.test(id)) {
    throw new AppError('bad_request', 'cursor is not one this service handed out', [
      { path: 'query.cursor', message: 'invalid cursor' },
    ]);
  }
  return { micros, id };
}
