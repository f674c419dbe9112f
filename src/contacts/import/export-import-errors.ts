import type { AppContext } from '../../context';
import { csvLine } from '../../stats/csv-cell';
import { getImport } from './imports';

/**
 * GET /v1/imports/{importId}/errors: the import's rejected rows as a CSV file (the first 1,000,
 * as the import keeps them), for the person who fixes the file: the line to look at, the reason
 * in words and the row as it was. Cells are defused for spreadsheets (csvCell).
 */
export async function exportImportErrors(
  ctx: AppContext,
  importId: string,
): Promise<{ filename: string; csv: string }> {
  const { errors, createdAt } = await getImport(ctx, importId);
  const header = csvLine(['row', 'line', 'kind', 'reason', 'value']);
  const rows = errors.map((error) =>
    csvLine([error.row, error.line, error.kind, error.reason, error.value]),
  );
  // A name a person can tell apart in their downloads: the day the file was uploaded.
  return { filename: `import-errors-${createdAt.slice(0, 10)}.csv`, csv: header + rows.join('') };
}
