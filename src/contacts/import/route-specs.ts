import { createRoute, z } from '@hono/zod-openapi';
import { problems } from '../../http/openapi';
import { PathId } from '../../http/params';
import { Import, ImportQuery } from './schemas';

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
    'The file is the raw body (`Content-Type: text/csv`) or the `file` field of a multipart form. It is stored, then imported by a job: poll GET /v1/imports/{importId} for progress. An upload that sends nothing for UPLOAD_IDLE_TIMEOUT_SECONDS is cut with 408; past UPLOADS_MAX_CONCURRENT uploads in flight, 429 with Retry-After.',
  security: [{ bearer: [] }],
  request: {
    params: PathId('listId'),
    query: ImportQuery,
    body: {
      content: {
        'text/csv': { schema: z.string() },
        'multipart/form-data': {
          schema: z.object({ file: z.string().openapi({ format: 'binary' }) }),
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
