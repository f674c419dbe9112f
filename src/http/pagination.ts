import { z } from '@hono/zod-openapi';
import type { PendingQuery, Row } from 'postgres';
import type { Sql } from '../db/client';
import { AppError } from '../errors';

// Every list of the API pages the same way: `?limit=&cursor=` in, `{data, nextCursor}` out,
// keyset pagination on the list's order, the cursor the last row's sort key.

const LIMIT_BOUNDS = 'must be a whole number from 1 to 1,000';

/**
 * `?limit=` of every list: how many items a page holds, 50 unless asked. One message for any
 * fault (1e300 is too big and, beyond 2^53, no safe integer either: said once).
 */
export const PageLimit = z.coerce
  .number({ error: LIMIT_BOUNDS })
  .min(1, { error: LIMIT_BOUNDS, abort: true })
  .max(1000, { error: LIMIT_BOUNDS, abort: true })
  .int(LIMIT_BOUNDS)
  .default(50)
  .openapi({ description: 'how many items the page holds, 1 to 1,000 (50 unless given)' });

/** `?limit=&cursor=` of every list. */
export const PageQuery = z.object({
  limit: PageLimit,
  cursor: z
    .string()
    .max(200)
    .optional()
    .openapi({ description: "the previous page's nextCursor; the first page without it" }),
});
export type PageQuery = z.infer<typeof PageQuery>;

/** A page of a list, as every list answers it. */
export const Page = <T extends z.ZodType>(item: T) =>
  z.object({ data: z.array(item), nextCursor: z.string().nullable() });

/** Cursors are opaque to clients: base64url JSON of the last row's sort key. */
export function encodeCursor(key: unknown): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/** The sort key a cursor holds, checked by `schema`; a cursor we did not give out is a 400. */
export function decodeCursor<T>(
  cursor: string | undefined,
  schema: z.ZodType<T, unknown>,
): T | undefined {
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

/**
 * The key of a list ordered newest first: the last row's creation time in microseconds
 * (PostgreSQL's precision: a JavaScript Date would drop rows created within the same
 * millisecond) and its id; the cursor holds `[micros, id]`.
 */
export const NewestKey = z
  .tuple([BigintKey, z.uuid()])
  .transform(([micros, id]) => ({ micros, id }));
export type NewestKey = z.output<typeof NewestKey>;

/**
 * Fetch `limit + 1` rows; this turns them into a page and the cursor of the next one. With
 * `fitting` (see withinBytes), the page ends after the rows that fit, and the next one starts
 * after them.
 */
export function toPage<Row, Item>(
  rows: Row[],
  limit: number,
  toItem: (row: Row) => Item,
  keyOf: (row: Row) => unknown,
  fitting = rows.length,
): { data: Item[]; nextCursor: string | null } {
  const page = rows.slice(0, Math.min(limit, fitting));
  const last = page.at(-1);
  return {
    data: page.map(toItem),
    nextCursor: rows.length > page.length && last !== undefined ? encodeCursor(keyOf(last)) : null,
  };
}

/**
 * Bounds a page in bytes, whatever was stored (LIST_PAGE_MAX_BYTES): over `page`, a query of
 * limit + 1 rows in the list's order with a `size` column (the bytes of the row's large
 * values), adds `fits`, true for the rows that fit in `budget` with those before them: a
 * prefix. A row larger than the budget alone counts as nothing, so that it never stops a page:
 * its caller leaves its values out (a contact), or the API bounds them (a template's hundred
 * parameters). Callers select their large columns only where `fits`, so the rows past the
 * budget cost nothing to fetch.
 */
export function withinBytes(
  sql: Sql,
  page: PendingQuery<Row[]>,
  order: PendingQuery<Row[]>,
  budget: number,
) {
  return sql`
    select p.*, sum(case when p.size <= ${budget} then p.size else 0 end)
      over (order by ${order}) <= ${budget} as fits
    from (${page}) p`;
}
