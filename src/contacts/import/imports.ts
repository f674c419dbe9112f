import { eq } from 'drizzle-orm';
import type { AppContext } from '../../context';
import { IMPORT_ERROR_KINDS, type ImportErrorKind, imports } from '../../db/schema';
import { AppError } from '../../errors';
import { assertUuid } from '../../http/params';
import type { Import } from './schemas';

type Row = typeof imports.$inferSelect;

export const toImport = (row: Row): Import => ({
  id: row.id,
  listId: row.listId,
  status: row.status,
  rows: row.rows,
  created: row.created,
  updated: row.updated,
  duplicates: row.duplicates,
  invalid: row.invalid,
  errors: row.errors,
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
