import { randomUUID } from 'node:crypto';
import { pipeline, Readable } from 'node:stream';
import busboy from 'busboy';
import type { AppContext } from '../../context';
import { AppError } from '../../errors';
import { cutWhenIdle } from '../../http/idle-body';
import { validationError } from '../../http/problem';
import { enqueue } from '../../queue/send';
import { TempFile } from '../../temp-file';
import { getList } from '../lists/lists';
import { type CsvLayout, readLayout } from './csv-preview';
import { IMPORT_CSV_QUEUE } from './import-csv.job';
import { getImport } from './imports';
import { insertImport, insertUploadChunk } from './queries';
import { type Import, ImportQuery } from './schemas';
import { UploadInspector } from './upload-inspector';

/** Characters per stored chunk: see importUploads for why they are small. */
const CHUNK_CHARS = 64 * 1024;
const CSV_TYPES = [
  'text/csv',
  'text/plain',
  'application/csv',
  'application/vnd.ms-excel',
  'text/tab-separated-values',
];

/**
 * Takes a CSV upload in two steps, so that a client sending at its own pace holds no database
 * connection. First the file is checked and decoded as it arrives (never the whole file in
 * memory) into a temporary file; a client that sends nothing for UPLOAD_IDLE_TIMEOUT_SECONDS
 * is cut. Then, all of it here, it is copied into `import_uploads` in one transaction with the
 * import row and its job, on the bulk pool: a refused, stalled or broken upload stores nothing,
 * and an accepted one always gets imported. Answers once the bytes are stored; the job does the
 * rest.
 */
export async function receiveImport(
  ctx: AppContext,
  listId: string,
  query: ImportQuery,
  request: Request,
): Promise<Import> {
  await getList(ctx, listId);
  const limit = ctx.config.MAX_UPLOAD_BYTES;
  const declared = Number(request.headers.get('content-length') ?? Number.NaN);
  if (declared > limit) {
    throw new AppError(
      'payload_too_large',
      `The upload is larger than the limit of ${limit} bytes.`,
    );
  }
  const form: FormFields = {};
  const body = cutWhenIdle(
    uploadBody(request, form),
    ctx.config.UPLOAD_IDLE_TIMEOUT_SECONDS * 1000,
  );
  const spool = await TempFile.open();
  try {
    const inspector = new UploadInspector(limit);
    let layout: CsvLayout | undefined;
    // A form's fields come before its file: they are all in once the file's first bytes are.
    let chosen: ImportQuery | undefined;
    const chosenOptions = () => {
      chosen ??= withFormFields(query, form);
      return chosen;
    };
    for await (const chunk of body) {
      const text = inspector.push(chunk);
      // Refuse a file without a phone column after its first 64 KiB, not after 200 MB.
      if (!layout && inspector.previewComplete)
        layout = readLayout(inspector.text, false, chosenOptions());
      await spool.append(text);
    }
    inspector.end();
    layout ??= readLayout(inspector.text, true, chosenOptions());
    const defaultCountry = chosenOptions().defaultCountry ?? ctx.config.DEFAULT_COUNTRY;
    const options = {
      phoneColumn: layout.headers[layout.phoneIndex] as string,
      delimiter: layout.delimiter,
      ...(defaultCountry ? { defaultCountry } : {}),
    };
    const importId = randomUUID();
    const chunks = await storeUpload(ctx, importId, listId, options, spool);
    ctx.logger.info(
      { importId, listId, bytes: inspector.bytes, chunks, ...options },
      'import received',
    );
    return getImport(ctx, importId);
  } finally {
    await spool.close();
  }
}

/** The import row, the spooled text as chunks, and the job, in one transaction; answers the chunks. */
async function storeUpload(
  ctx: AppContext,
  importId: string,
  listId: string,
  options: Record<string, string>,
  spool: TempFile,
): Promise<number> {
  return ctx.database.bulk.begin(async (tx) => {
    // The list may have been deleted while the file was coming in.
    if (!(await insertImport(tx, importId, listId, options))) {
      throw AppError.notFound('List', listId);
    }
    let seq = 0;
    for await (const data of spool.text(CHUNK_CHARS)) {
      await insertUploadChunk(tx, importId, seq++, data);
    }
    await enqueue(ctx, IMPORT_CSV_QUEUE, { importId }, { tx });
    return seq;
  });
}

/** The CSV media types an upload or a preview may carry as its raw body. */
const isCsvType = (type: string) => CSV_TYPES.some((csv) => type.startsWith(csv));

/** A raw CSV body, or a 415 naming the types to send. */
export function csvBody(request: Request): AsyncIterable<Uint8Array> {
  const type = (request.headers.get('content-type') ?? '').toLowerCase();
  if (!request.body)
    throw new AppError('bad_request', 'The request has no body: send the CSV file.');
  if (isCsvType(type)) return request.body;
  throw new AppError(
    'unsupported_media_type',
    `Send the file as text/csv (got "${type || 'no content type'}").`,
  );
}

/** The file's bytes: the raw body for CSV types, the `file` field of a multipart form. */
function uploadBody(request: Request, form: FormFields): AsyncIterable<Uint8Array> {
  const type = (request.headers.get('content-type') ?? '').toLowerCase();
  if (request.body && type.startsWith('multipart/form-data'))
    return multipartFile(request, request.body, form);
  if (!request.body || isCsvType(type)) return csvBody(request);
  throw new AppError(
    'unsupported_media_type',
    `Send the file as text/csv, or as the "file" field of multipart/form-data (got "${type || 'no content type'}").`,
  );
}

/** The options a multipart form may carry as fields, before its file (the query's win). */
type FormFields = Record<string, string>;
const FORM_FIELDS: ReadonlySet<string> = new Set(['phoneColumn', 'defaultCountry', 'delimiter']);

/** The query's options, and those of the form's fields that the query does not give. */
function withFormFields(query: ImportQuery, form: FormFields): ImportQuery {
  const given = Object.fromEntries(Object.entries(form).filter(([, value]) => value.trim()));
  const parsed = ImportQuery.safeParse(given);
  if (!parsed.success) throw validationError(parsed.error, 'form');
  const fromQuery = Object.entries(query).filter(([, value]) => value !== undefined);
  return { ...parsed.data, ...Object.fromEntries(fromQuery) };
}

async function* multipartFile(
  request: Request,
  body: ReadableStream<Uint8Array>,
  form: FormFields,
): AsyncIterable<Uint8Array> {
  const malformed = (error: unknown) =>
    error instanceof AppError
      ? error
      : new AppError('bad_request', `The multipart body is malformed: ${String(error)}`);
  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: Object.fromEntries(request.headers),
      limits: { files: 1, fields: 20, fieldSize: 1024 },
    });
  } catch (error) {
    throw malformed(error); // no boundary in the content type
  }
  let fileStarted = false;
  const late: string[] = [];
  parser.on('field', (name, value) => {
    if (!FORM_FIELDS.has(name)) return;
    if (fileStarted) late.push(name);
    else form[name] = value;
  });
  const closed = new Promise<void>((resolve, reject) => {
    parser.on('error', (error) => reject(malformed(error)));
    parser.on('close', () => resolve());
  });
  const file = new Promise<Readable | null>((resolve, reject) => {
    parser.on('file', (name, stream) => {
      if (name !== 'file') return stream.resume();
      fileStarted = true;
      resolve(stream);
    });
    closed.then(() => resolve(null), reject);
  });
  // pipeline, not pipe: a client that drops the connection mid-body fails the source stream,
  // and an error on a piped source has no listener (it ended the process); here it destroys the
  // parser, whose file part then fails as a malformed form.
  pipeline(Readable.fromWeb(body as never), parser, () => {});
  const stream = await file;
  if (!stream) throw new AppError('bad_request', 'The multipart form has no "file" field.');
  try {
    yield* stream;
    await closed;
  } catch (error) {
    throw malformed(error); // the form ends inside the file part
  }
  if (late.length > 0) {
    throw new AppError(
      'bad_request',
      `The form's ${late.join(', ')} came after its file: put the fields before the file.`,
    );
  }
}
