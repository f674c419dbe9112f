import { and, eq, isNull } from 'drizzle-orm';
import type { AppContext } from '../context';
import { isoUtc } from '../db/iso';
import { templates } from '../db/schema';
import { AppError } from '../errors';
import { decodeCursor, NewestKey, toPage, withinBytes } from '../http/pagination';
import { assertUuid } from '../http/params';
import type { Template, TemplatePage } from './schemas';
import { toTemplate } from './template-json';

/** A template that is not deleted, or 404. */
export async function getTemplate(ctx: AppContext, id: string): Promise<Template> {
  assertUuid(id, 'Template');
  const [row] = await ctx.database.db
    .select()
    .from(templates)
    .where(and(eq(templates.id, id), isNull(templates.deletedAt)));
  if (!row) throw AppError.notFound('Template', id);
  return toTemplate(row);
}

type TemplateRow = typeof templates.$inferSelect;

/**
 * Newest first; deleted templates are left out. A page carries no more than
 * LIST_PAGE_MAX_BYTES of parameters (see withinBytes).
 */
export async function listTemplates(
  ctx: AppContext,
  page: { limit: number; cursor?: string },
): Promise<TemplatePage> {
  const after = decodeCursor(page.cursor, NewestKey);
  const { sql } = ctx.database;
  const budget = ctx.config.LIST_PAGE_MAX_BYTES;
  const newest = sql`
    select t.*, (extract(epoch from t.created_at) * 1000000)::bigint::text as micros,
      octet_length(t.parameters::text) as size
    from templates t
    where t.deleted_at is null ${
      after
        ? sql`and (t.created_at, t.id) < (timestamptz 'epoch' + ${after.micros}::bigint * interval '1 microsecond', ${after.id}::uuid)`
        : sql``
    }
    order by t.created_at desc, t.id desc
    limit ${page.limit + 1}`;
  const rows = await sql<
    (Omit<TemplateRow, 'createdAt'> & { createdAt: string; micros: string; fits: boolean })[]
  >`
    select id, name, namespace, language_code as "languageCode",
      language_policy as "languagePolicy", category, deleted_at as "deletedAt", micros, fits,
      ${sql.unsafe(isoUtc('created_at'))} as "createdAt",
      case when fits then parameters else '[]'::jsonb end as parameters
    from (${withinBytes(sql, newest, sql`p.created_at desc, p.id desc`, budget)}) w
    order by micros::bigint desc, id desc`;
  const fitting = rows.filter((row) => row.fits).length;
  return toPage(
    rows,
    page.limit,
    (row) => toTemplate({ ...row, createdAt: new Date(row.createdAt) }),
    (row) => [row.micros, row.id],
    fitting,
  );
}
