import { and, eq, isNull } from 'drizzle-orm';
import type { AppContext } from '../context';
import { templates } from '../db/schema';
import { AppError } from '../errors';
import { decodeCursor, NewestKey, toPage } from '../http/pagination';
import { assertUuid } from '../http/params';
import { newestTemplates } from './queries';
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

/**
 * A template by id, deleted ones too (a finished campaign still names the template it sent),
 * or undefined; `deleted` says which.
 */
export async function findTemplate(
  ctx: AppContext,
  id: string,
): Promise<(Template & { deleted: boolean }) | undefined> {
  assertUuid(id, 'Template');
  const [row] = await ctx.database.db.select().from(templates).where(eq(templates.id, id));
  return row && { ...toTemplate(row), deleted: row.deletedAt !== null };
}

/**
 * Newest first; deleted templates are left out. A page carries no more than
 * LIST_PAGE_MAX_BYTES of parameters (see withinBytes).
 */
export async function listTemplates(
  ctx: AppContext,
  page: { limit: number; cursor?: string },
): Promise<TemplatePage> {
  const after = decodeCursor(page.cursor, NewestKey);
  const rows = await newestTemplates(
    ctx.database.sql,
    after,
    page.limit + 1,
    ctx.config.LIST_PAGE_MAX_BYTES,
  );
  const fitting = rows.filter((row) => row.fits).length;
  return toPage(
    rows,
    page.limit,
    (row) => toTemplate({ ...row, createdAt: new Date(row.createdAt) }),
    (row) => [row.micros, row.id],
    fitting,
  );
}
