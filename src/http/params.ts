import { z } from '@hono/zod-openapi';
import { AppError, type Resource } from '../errors';

/**
 * A resource id in a path, under the name the API gives it (`{campaignId}`, `{listId}`). Any
 * string: ids are opaque to clients, so a malformed one is not a 400 but the same 404 as an id
 * that does not exist (assertUuid).
 */
export function PathId<const Name extends string>(name: Name) {
  const shape = { [name]: z.string().openapi({ param: { name, in: 'path' } }) };
  return z.object(shape as { [K in Name]: z.ZodString });
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return uuidPattern.test(value);
}

/**
 * Throws the 404 of `what` (`Campaign <id> does not exist`) unless `id` is a uuid: a malformed
 * id answers like an unknown one, and never reaches PostgreSQL, where it would fail the cast.
 */
export function assertUuid(id: string, what: Resource): void {
  if (!isUuid(id)) throw AppError.notFound(what, id);
}

/**
 * A query parameter naming an instant: a date-time with its offset, or a date alone for that
 * day's start in UTC (`new Date()` reads both so).
 */
export const instantQuery = (description: string) =>
  z
    .union([z.iso.datetime({ offset: true }), z.iso.date()])
    .optional()
    .openapi({
      description: `${description}: an ISO 8601 date-time with its offset (Z or +02:00), or a date alone (2026-11-01) for that day's start in UTC`,
    });
