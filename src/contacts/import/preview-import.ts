import type { AppContext } from '../../context';
import { AppError } from '../../errors';
import { cutWhenIdle } from '../../http/idle-body';
import { findPhoneColumn } from './csv-header';
import { missingPhoneColumn, readHeader } from './csv-preview';
import { CsvReader } from './csv-reader';
import { FileRejected } from './file-layout';
import { csvBody } from './receive-import';
import { RowStager } from './row-stager';
import type { ImportPreview, PreviewQuery } from './schemas';
import { type RejectedRow, readStagedRows, type StagedRow } from './staging-rows';
import { UploadInspector } from './upload-inspector';

/** The most a preview reads: the start of a file, enough for its header and a few thousand rows. */
export const PREVIEW_MAX_BYTES = 256 * 1024;
const PREVIEW_ROWS = 10;
const PREVIEW_FAILURES = 100;

/**
 * What an import of a file would do, from its first bytes, before anything is stored: the
 * delimiter, the columns, the phone column, the first rows as the import would store them and
 * the rows it would reject, and why. It reads with the import's own code (readHeader as the
 * upload does, then the job's CsvReader and RowStager), so the preview and the import cannot
 * disagree. A body without a header row is a 400 as on the upload; a file the import would fail
 * as a whole (no phone column by that name, too many columns, no data rows) is answered with its
 * `failure`, and its columns, so that a client can offer the choice of another phone column.
 */
export async function previewImport(
  ctx: AppContext,
  query: PreviewQuery,
  request: Request,
): Promise<ImportPreview> {
  const complete = !query.partial;
  const text = await readPreviewBody(ctx, request, complete);
  const { delimiter, headers, dataRows } = readHeader(text, complete, query.delimiter);
  const defaultCountry = query.defaultCountry ?? ctx.config.DEFAULT_COUNTRY ?? null;
  const phoneIndex = findPhoneColumn(headers, query.phoneColumn);
  const phoneColumn = headers[phoneIndex] ?? null;
  const answer: ImportPreview = {
    delimiter,
    columns: headers,
    phoneColumn,
    attributeColumns: headers.filter((_, i) => i !== phoneIndex),
    defaultCountry,
    rows: [],
    failures: [],
    rowsRead: 0,
    failing: 0,
    complete,
    failure: null,
  };
  if (phoneColumn === null) {
    return { ...answer, failure: missingPhoneColumn(headers, query.phoneColumn).message };
  }
  const reader = new CsvReader(delimiter, ctx.config.IMPORT_MAX_ROW_CHARS);
  const stager = new RowStager(
    { phoneColumn, delimiter, ...(defaultCountry ? { defaultCountry } : {}) },
    ctx.config,
  );
  const accepted: StagedRow[] = [];
  const rejected: RejectedRow[] = [];
  try {
    for (const batch of [...reader.push(text), ...(complete ? reader.end() : [])]) {
      const staged = stager.take(batch);
      if (accepted.length < PREVIEW_ROWS) accepted.push(...readStagedRows(staged.text));
      rejected.push(...staged.rejected);
    }
  } catch (error) {
    if (!(error instanceof FileRejected)) throw error;
    return { ...answer, failure: `The import would fail: ${error.message}.` };
  }
  const failure =
    complete && dataRows === 0 && stager.rows === 0
      ? 'The file has a header but no data rows.'
      : null;
  return {
    ...answer,
    rows: firstRows(accepted, rejected),
    failures: rejected.slice(0, PREVIEW_FAILURES),
    rowsRead: stager.rows,
    failing: rejected.length,
    failure,
  };
}

/** Data rows 1 to 10, accepted or rejected, in the file's order. */
function firstRows(accepted: StagedRow[], rejected: RejectedRow[]): ImportPreview['rows'] {
  const rows: ImportPreview['rows'] = [
    ...accepted.map(({ row, phone, attributes }) => ({ row, phone, attributes, error: null })),
    ...rejected.map((error) => ({ row: error.row, phone: null, attributes: {}, error })),
  ];
  return rows.filter((row) => row.row <= PREVIEW_ROWS).sort((a, b) => a.row - b.row);
}

/**
 * The body as text, checked as an upload is (UTF-8, no NUL), at most PREVIEW_MAX_BYTES (413
 * past it) and cut after UPLOAD_IDLE_TIMEOUT_SECONDS of silence. The start of a longer file may
 * end inside a character: that is its last line, which is not read anyway.
 */
async function readPreviewBody(
  ctx: AppContext,
  request: Request,
  complete: boolean,
): Promise<string> {
  const declared = Number(request.headers.get('content-length') ?? Number.NaN);
  if (declared > PREVIEW_MAX_BYTES) throw tooLarge();
  const inspector = new UploadInspector(PREVIEW_MAX_BYTES, tooLarge);
  const body = cutWhenIdle(csvBody(request), ctx.config.UPLOAD_IDLE_TIMEOUT_SECONDS * 1000);
  let text = '';
  for await (const chunk of body) text += inspector.push(chunk);
  if (complete) inspector.end();
  return text;
}

const tooLarge = () =>
  new AppError(
    'payload_too_large',
    `A preview reads at most ${PREVIEW_MAX_BYTES / 1024} KiB: send the first ${PREVIEW_MAX_BYTES} bytes of the file, with ?partial=true.`,
  );
