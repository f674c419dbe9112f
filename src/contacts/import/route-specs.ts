import { createRoute, z } from '@hono/zod-openapi';
import { json, problems } from '../../http/openapi';
import { Page, PageQuery } from '../../http/pagination';
import { PathId } from '../../http/params';
import { PREVIEW_MAX_BYTES } from './preview-import';
import { Import, ImportPreview, ImportQuery, ImportSummary, PreviewQuery } from './schemas';

const tags = ['imports'];
const importResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: Import } },
});

export const uploadSpec = createRoute({
  method: 'post',
  path: '/v1/lists/{listId}/imports',
  operationId: 'importCsv',
  tags,
  summary: 'Import a CSV file into a list',
  description:
    'The file is the raw body (`Content-Type: text/csv`) or the `file` field of a multipart form, whose fields `phoneColumn`, `defaultCountry` and `delimiter`, placed before the file, are read as the query parameters of those names (the query wins; a field after the file is a 400). It is stored, then imported by a job: poll GET /v1/imports/{importId} for progress. An upload that sends nothing for UPLOAD_IDLE_TIMEOUT_SECONDS is cut with 408; past UPLOADS_MAX_CONCURRENT uploads in flight, 429 with Retry-After.',
  security: [{ bearer: [] }],
  request: {
    params: PathId('listId'),
    query: ImportQuery,
    body: {
      content: {
        'text/csv': { schema: z.string() },
        'multipart/form-data': {
          schema: z.object({
            phoneColumn: z.string().optional(),
            defaultCountry: z.string().optional(),
            delimiter: z.string().optional(),
            file: z.string().openapi({ format: 'binary' }),
          }),
        },
      },
      required: true,
    },
  },
  responses: {
    202: importResponse('accepted: the import is queued'),
    ...problems(400, 401, 404, 408, 413, 415, 422, 429),
  },
});

export const getImportSpec = createRoute({
  method: 'get',
  path: '/v1/imports/{importId}',
  operationId: 'getImport',
  tags,
  summary: 'An import, with its progress or final counts',
  request: { params: PathId('importId') },
  responses: { 200: importResponse('the import'), ...problems(400, 401, 404) },
});

export const importErrorsSpec = createRoute({
  method: 'get',
  path: '/v1/imports/{importId}/errors',
  operationId: 'getImportErrors',
  tags,
  summary: "An import's rejected rows as CSV (the first 1,000)",
  description:
    'Columns `row, line, kind, reason, value`: the data row (from 1), the line of the file it starts on, its kind and reason as in the import, and the row as it was. Cells a spreadsheet would read as a formula get a leading apostrophe.',
  request: { params: PathId('importId') },
  responses: {
    200: { description: 'the rejected rows', content: { 'text/csv': { schema: z.string() } } },
    ...problems(400, 401, 404),
  },
});

export const previewSpec = createRoute({
  method: 'post',
  path: '/v1/imports/preview',
  operationId: 'previewImport',
  tags,
  summary: 'What an import of a file would do, from its first bytes; stores nothing',
  description: `The body is the file, or its first bytes with \`?partial=true\` (\`Content-Type: text/csv\`), at most ${PREVIEW_MAX_BYTES} bytes (256 KiB; 413 above). It is read by the import's own code: the delimiter, the columns, the phone column (\`?phoneColumn=\`, else the first named like a phone), the first 10 data rows as they would be stored, and the rows that would be rejected, with the reason. Past UPLOADS_MAX_CONCURRENT uploads and previews in flight, 429 with Retry-After. A body without a header row is a 400 as on the upload; a file the import would fail as a whole is a 200 whose \`failure\` says why (with its columns, to choose the phone column from).`,
  security: [{ bearer: [] }],
  request: {
    query: PreviewQuery,
    body: { content: { 'text/csv': { schema: z.string() } }, required: true },
  },
  responses: {
    200: json(ImportPreview, 'the preview'),
    ...problems(400, 401, 408, 413, 415, 429),
  },
});

export const listImportsSpec = createRoute({
  method: 'get',
  path: '/v1/lists/{listId}/imports',
  operationId: 'listImports',
  tags,
  summary: "A list's imports, newest first, without their rejected rows",
  request: { params: PathId('listId'), query: PageQuery },
  responses: {
    200: json(Page(ImportSummary), 'a page of imports'),
    ...problems(400, 401, 404),
  },
});
