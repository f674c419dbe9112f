import type { Sql, TransactionSql } from 'postgres';
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
      octet_length(t.parameters::text) + coalesce(octet_length(t.components::text), 0)
        + octet_length(t.component_parameters::text) as size
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
      case when fits then components end as components,
      case when fits then component_parameters else '{}'::jsonb end as "componentParameters"
    from (${withinBytes(sql, newest, sql`p.created_at desc, p.id desc`, budget)}) w
    order by micros::bigint desc, id desc`;
}

/** A template of Meta's catalogue as the sync stores it (sync-templates.ts). */
export type CatalogueRow = Pick<
  TemplateRow,
  'name' | 'languageCode' | 'category' | 'status' | 'parameterFormat' | 'components' | 'quality'
> & { externalId: string };

/**
 * Upserts a sender's catalogue by (sender_id, external_id), in one statement over the rows as
 * JSON. A row already there changes only when something Meta gives changed, and never its
 * `parameters` (how they are filled is ours, docs/design.md, rule 33); a new one starts without
 * them (`[]` or `{}` by its format). A template deleted here stays deleted. Answers how many
 * were added and how many changed.
 */
export async function upsertCatalogue(
  sql: TransactionSql,
  senderId: string,
  rows: CatalogueRow[],
): Promise<{ added: number; updated: number }> {
  const [counts] = await sql<{ added: number; updated: number }[]>`
    with incoming as (
      select * from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(
        "externalId" text, name text, "languageCode" text, category template_category,
        status template_status, "parameterFormat" parameter_format, components jsonb,
        quality text)
    ), upserted as (
      insert into templates (sender_id, external_id, name, namespace, language_code, category,
        status, parameter_format, components, quality, source, parameters)
      select ${senderId}::uuid, "externalId", name, '', "languageCode", category, status,
        "parameterFormat", components, quality, 'synced',
        case when "parameterFormat" = 'named' then '{}'::jsonb else '[]'::jsonb end
      from incoming
      on conflict (sender_id, external_id) where external_id is not null do update set
        name = excluded.name, language_code = excluded.language_code,
        category = excluded.category, status = excluded.status,
        parameter_format = excluded.parameter_format, components = excluded.components,
        quality = excluded.quality
      where templates.deleted_at is null
        and (templates.name, templates.language_code, templates.category, templates.status,
          templates.parameter_format, templates.components, templates.quality)
        is distinct from (excluded.name, excluded.language_code, excluded.category,
          excluded.status, excluded.parameter_format, excluded.components, excluded.quality)
      returning xmax = 0 as added
    )
    select (count(*) filter (where added))::int as added,
      (count(*) filter (where not added))::int as updated
    from upserted`;
  return counts ?? { added: 0, updated: 0 };
}

/**
 * Marks `disabled` the sender's synced templates that Meta's catalogue no longer lists (kept,
 * not deleted: campaigns keep naming them, and a start says why it is refused). Answers how many.
 */
export async function disableGoneTemplates(
  sql: TransactionSql,
  senderId: string,
  listed: string[],
): Promise<number> {
  const result = await sql`
    update templates set status = 'disabled'
    where sender_id = ${senderId}::uuid and source = 'synced' and deleted_at is null
      and status <> 'disabled' and not (external_id = any(${listed}::text[]))`;
  return result.count;
}
