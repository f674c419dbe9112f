import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import busboy from 'busboy';
import type { AppContext } from '../context';
import { AppError } from '../errors';
import { enqueue } from '../queue/send';
import { type CsvLayout, readLayout } from './csv-preview';
import { IMPORT_CSV_QUEUE } from './import-csv.job';
import { getImport } from './imports';
import { getList } from './lists';
import type { Import, ImportQuery } from './schemas';
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
 * Takes a CSV upload: streams it (never the whole file in memory), checked and decoded as it
 * arrives, into `import_uploads` in one
 * transaction with the import row and its job, so that a refused file stores nothing and an
 * accepted one always gets imported. Answers once the bytes are stored; the job does the rest.
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
  const body = uploadBody(request);
  const importId = randomUUID();
  const defaultCountry = query.defaultCountry ?? ctx.config.DEFAULT_COUNTRY;

  await ctx.database.sql.begin(async (tx) => {
    await tx`insert into imports (id, list_id, status) values (${importId}, ${listId}, 'queued')`;
    const inspector = new UploadInspector(limit);
    let layout: CsvLayout | undefined;
    let pending: string[] = [];
    let pendingChars = 0;
    let seq = 0;
    const flush = async () => {
      if (pendingChars === 0) return;
      await tx`insert into import_uploads (import_id, seq, data) values (${importId}, ${seq++}, ${pending.join('')})`;
      pending = [];
      pendingChars = 0;
    };
    for await (const chunk of body) {
      const text = inspector.push(chunk);
      // Refuse a file without a phone column after its first 64 KiB, not after 200 MB.
      if (!layout && inspector.previewComplete) layout = readLayout(inspector.text, false, query);
      pending.push(text);
      pendingChars += text.length;
      if (pendingChars >= CHUNK_CHARS) await flush();
    }
    inspector.end();
    layout ??= readLayout(inspector.text, true, query);
    await flush();
    const options = {
      phoneColumn: layout.headers[layout.phoneIndex] as string,
      delimiter: layout.delimiter,
      ...(defaultCountry ? { defaultCountry } : {}),
    };
    await tx`update imports set options = ${JSON.stringify(options)}::jsonb where id = ${importId}`;
    await enqueue(ctx, IMPORT_CSV_QUEUE, { importId }, { tx });
    ctx.logger.info(
      { importId, listId, bytes: inspector.bytes, chunks: seq, ...options },
      'import received',
    );
  });
  return getImport(ctx, importId);
}

/** The file's bytes: the raw body for CSV types, the `file` field of a multipart form. */
function uploadBody(request: Request): AsyncIterable<Uint8Array> {
  const type = (request.headers.get('content-type') ?? '').toLowerCase();
  if (!request.body)
    throw new AppError('bad_request', 'The request has no body: send the CSV file.');
  if (CSV_TYPES.some((csv) => type.startsWith(csv))) return request.body;
  if (type.startsWith('multipart/form-data')) return multipartFile(request, request.body);
  throw new AppError(
    'unsupported_media_type',
    `Send the file as text/csv, or as the "file" field of multipart/form-data (got "${type || 'no content type'}").`,
  );
}

async function* multipartFile(
  request: Request,
  body: ReadableStream<Uint8Array>,
): AsyncIterable<Uint8Array> {
  const malformed = (error: unknown) =>
    error instanceof AppError
      ? error
      : new AppError('bad_request', `The multipart body is malformed: ${String(error)}`);
  let parser: busboy.Busboy;
  try {
    parser = busboy({ headers: Object.fromEntries(request.headers), limits: { files: 1 } });
  } catch (error) {
    throw malformed(error); // no boundary in the content type
  }
  const file = new Promise<Readable | null>((resolve, reject) => {
    parser.on('file', (name, stream) => {
      if (name === 'file') resolve(stream);
      else stream.resume();
    });
    parser.on('error', (error) => reject(malformed(error)));
    parser.on('close', () => resolve(null));
  });
  Readable.fromWeb(body as never).pipe(parser);
  const stream = await file;
  if (!stream) throw new AppError('bad_request', 'The multipart form has no "file" field.');
  try {
    yield* stream;
  } catch (error) {
    throw malformed(error); // the form ends inside the file part
  }
}
