import { z } from '@hono/zod-openapi';

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

/** A resource id in a path: a malformed one is a 404, like an id that does not exist. */
export const IdParam = z.object({
  id: z.string().openapi({ param: { name: 'id', in: 'path' } }),
});
export type IdParam = z.infer<typeof IdParam>;

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return uuidPattern.test(value);
}
