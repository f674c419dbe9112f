import { and, desc, eq, getTableColumns } from 'drizzle-orm';
import type { AppContext } from '../../context';
import { microsOf, olderThan } from '../../db/keyset';
import { IMPORT_ERROR_KINDS, type ImportErrorKind, imports } from '../../db/schema';
import { AppError } from '../../errors';
import { decodeCursor, NewestKey, toPage } from '../../http/pagination';
import { assertUuid } from '../../http/params';
import { getList } from '../lists/lists';
import type { Import, ImportSummary } from './schemas';

type Row = typeof imports.$inferSelect;

export const toImport = (row: Row): Import => ({ ...toSummary(row), errors: row.errors });

const toSummary = (row: Omit<Row, 'errors'>): ImportSummary => ({
  id: row.id,
  listId: row.listId,
  status: row.status,
  rows: row.rows,
  created: row.created,
  updated: row.updated,
  duplicates: row.duplicates,
  invalid: row.invalid,
  errorCounts: Object.fromEntries(
    IMPORT_ERROR_KINDS.map((kind) => [kind, row.errorCounts[kind] ?? 0]),
  ) as Record<ImportErrorKind, number>,
  phoneColumn: row.options.phoneColumn,
  delimiter: row.options.delimiter,
  failure: row.failure,
  attempts: row.attempts,
  restartedAt: row.restartedAt?.toISOString() ?? null,
  createdAt: row.createdAt.toISOString(),
  finishedAt: row.finishedAt?.toISOString() ?? null,
});

export async function getImport(ctx: AppContext, id: string): Promise<Import> {
  assertUuid(id, 'Import');
  const [row] = await ctx.database.db.select().from(imports).where(eq(imports.id, id));
  if (!row) throw AppError.notFound('Import', id);
  return toImport(row);
}

/**
 * GET /v1/lists/{listId}/imports: a list's imports, newest first, without their rejected rows
 * (a list's imports are few: imports_list_idx finds them, and they are sorted in memory).
 */
export async function listImports(
  ctx: AppContext,
  listId: string,
  page: { cursor?: string; limit: number },
) {
  await getList(ctx, listId);
  const after = decodeCursor(page.cursor, NewestKey);
  const { errors: _, ...columns } = getTableColumns(imports);
  const rows = await ctx.database.db
    .select({ ...columns, micros: microsOf(imports.createdAt) })
    .from(imports)
    .where(and(eq(imports.listId, listId), olderThan(imports.createdAt, imports.id, after, 'uuid')))
    .orderBy(desc(imports.createdAt), desc(imports.id))
    .limit(page.limit + 1);
  return toPage(rows, page.limit, toSummary, (row) => [row.micros, row.id]);
}
