import { z } from '@hono/zod-openapi';
import { AppError } from '../errors';

export { PageQuery } from './params';

/** Cursors are opaque to clients: base64url JSON of the last row's sort key. */
export function encodeCursor(key: unknown): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor<T>(cursor: string | undefined, schema: z.ZodType<T>): T | undefined {
  if (cursor === undefined) return undefined;
  try {
    return schema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    throw new AppError('bad_request', 'The cursor is not one this endpoint gave out.', [
      { path: 'query.cursor', message: 'invalid cursor' },
    ]);
  }
}

/**
 * A bigint key (in a cursor or a path): one that PostgreSQL's bigint cannot hold is not ours.
 * `abort`: zod runs later refinements after a failed check, and BigInt() throws on non-digits.
 */
export const BigintKey = z
  .string()
  .regex(/^\d{1,19}$/, { abort: true })
  .refine((digits) => BigInt(digits) <= 9_223_372_036_854_775_807n);

/** Fetch `limit + 1` rows; this turns them into a page and the cursor of the next one. */
export function toPage<Row, Item>(
  rows: Row[],
  limit: number,
  toItem: (row: Row) => Item,
  keyOf: (row: Row) => unknown,
): { data: Item[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    data: page.map(toItem),
    nextCursor: rows.length > limit && last !== undefined ? encodeCursor(keyOf(last)) : null,
  };
}

export const Page = <T extends z.ZodType>(item: T) =>
  z.object({ data: z.array(item), nextCursor: z.string().nullable() });
