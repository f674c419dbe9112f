import { z } from '@hono/zod-openapi';

/** `?limit=&cursor=` of every list (API.md: default 50, max 1000). */
export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(50),
  cursor: z.string().max(200).optional(),
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
