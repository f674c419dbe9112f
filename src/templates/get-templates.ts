import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import type { AppContext } from '../context';
import { templates } from '../db/schema';
import { AppError } from '../errors';
import { decodeCursor, encodeCursor } from '../http/cursor';
import type { Template, TemplatePage } from './schemas';
import { toTemplate } from './template-json';

/** A template that is not deleted, or 404. */
export async function getTemplate(ctx: AppContext, id: string): Promise<Template> {
  const [row] = await ctx.database.db
    .select()
    .from(templates)
    .where(and(eq(templates.id, id), isNull(templates.deletedAt)));
  if (!row) throw AppError.notFound('template', id);
  return toTemplate(row);
}

/** Newest first; deleted templates are left out. */
export async function listTemplates(
  ctx: AppContext,
  page: { limit: number; cursor?: string },
): Promise<TemplatePage> {
  const after = page.cursor ? decodeCursor(page.cursor) : undefined;
  const rows = await ctx.database.db
    .select({
      template: templates,
      micros: sql<string>`(extract(epoch from ${templates.createdAt}) * 1000000)::bigint::text`,
    })
    .from(templates)
    .where(
      and(
        isNull(templates.deletedAt),
        after
          ? sql`(${templates.createdAt}, ${templates.id}) < (timestamptz 'epoch' + ${after.micros}::bigint * interval '1 microsecond', ${after.id}::uuid)`
          : undefined,
      ),
    )
    .orderBy(desc(templates.createdAt), desc(templates.id))
    .limit(page.limit + 1);
  const data = rows.slice(0, page.limit);
  const last = data.at(-1);
  return {
    data: data.map((row) => toTemplate(row.template)),
    nextCursor:
      rows.length > page.limit && last ? encodeCursor(last.micros, last.template.id) : null,
  };
}
