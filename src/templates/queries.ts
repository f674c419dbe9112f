import type { Sql } from 'postgres';
import { isoUtc } from '../db/iso';
import type { templates } from '../db/schema';
import { type NewestKey, withinBytes } from '../http/pagination';

/**
 * The templates' raw SQL: a page bounded in bytes (withinBytes, a window over the page) is
 * beyond the builder. Row types come from the schema; columns are aliased to its names, and the
 * timestamp is read as ISO text (raw queries read timestamps as text).
 */

type TemplateRow = typeof templates.$inferSelect;

export type TemplatePageRow = Omit<TemplateRow, 'createdAt' | 'deletedAt'> & {
  createdAt: string;
  deletedAt: null;
  /** The cursor's key: created_at in PostgreSQL's microseconds. */
  micros: string;
  /** Within the page's byte budget; a row that is not carries no parameters nor components. */
  fits: boolean;
};

/** Templates not deleted, newest first after `after`: `limit` rows, within `budget` bytes. */
export function newestTemplates(
  sql: Sql,
  after: NewestKey | undefined,
  limit: number,
  budget: number,
): Promise<TemplatePageRow[]> {
  const newest = sql`
    select t.*, (extract(epoch from t.created_at) * 1000000)::bigint::text as micros,
      octet_length(t.parameters::text) + coalesce(octet_length(t.components::text), 0) as size
    from templates t
    where t.deleted_at is null ${
      after
        ? sql`and (t.created_at, t.id) < (timestamptz 'epoch' + ${after.micros}::bigint * interval '1 microsecond', ${after.id}::uuid)`
        : sql``
    }
    order by t.created_at desc, t.id desc
    limit ${limit}`;
  return sql<TemplatePageRow[]>`
    select id, name, namespace, language_code as "languageCode",
      language_policy as "languagePolicy", category, deleted_at as "deletedAt", micros, fits,
      sender_id as "senderId", status, parameter_format as "parameterFormat", quality, source,
      external_id as "externalId", ${sql.unsafe(isoUtc('created_at'))} as "createdAt",
      case when fits then parameters else '[]'::jsonb end as parameters,
      case when fits then components end as components
    from (${withinBytes(sql, newest, sql`p.created_at desc, p.id desc`, budget)}) w
    order by micros::bigint desc, id desc`;
}
