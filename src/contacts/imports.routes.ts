import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppContext } from '../context';
import { InFlightLimit } from '../http/in-flight';
import { createRouter, problems } from '../http/openapi';
import { IdParam } from '../http/params';
import { validationError } from '../http/problem';
import { getImport } from './imports';
import { receiveImport } from './receive-import';
import { Import, ImportQuery, ListId } from './schemas';

const tags = ['imports'];
const importResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: Import } },
});

const uploadRoute = createRoute({
  method: 'post',
  path: '/v1/lists/{listId}/imports',
  operationId: 'importCsv',
  tags,
  summary: 'Import a CSV file into a list',
  description:
    'The file is the raw body (`Content-Type: text/csv`) or the `file` field of a multipart form. It is stored, then imported by a job: poll GET /v1/imports/{importId} for progress. An upload that sends nothing for UPLOAD_IDLE_TIMEOUT_SECONDS is cut with 408; past UPLOADS_MAX_CONCURRENT uploads in flight, 429 with Retry-After.',
  security: [{ bearer: [] }],
  request: {
    params: ListId,
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

const uploadPath = new RegExp(`^${uploadRoute.path.replace('{listId}', '[^/]+')}/?$`);

/** The CSV upload, which streams its body and counts its bytes against MAX_UPLOAD_BYTES. */
export const isUpload = (c: Context) => c.req.method === 'POST' && uploadPath.test(c.req.path);

export function importsRoutes(ctx: AppContext) {
  const router = createRouter();
  const uploads = new InFlightLimit(
    'upload',
    ctx.config.UPLOADS_MAX_CONCURRENT,
    ctx.metrics.transfersInFlight,
  );
  // Documented, but not validated by the router: its body validators would buffer the upload
  // (and read it as a form); receiveImport streams it instead.
  router.openAPIRegistry.registerPath(uploadRoute);
  router.post(uploadRoute.path.replace('{listId}', ':listId'), async (c) => {
    const params = ListId.safeParse(c.req.param());
    if (!params.success) throw validationError(params.error, 'param');
    const query = ImportQuery.safeParse(c.req.query());
    if (!query.success) throw validationError(query.error, 'query');
    const release = uploads.admit();
    try {
      return c.json(await receiveImport(ctx, params.data.listId, query.data, c.req.raw), 202);
    } finally {
      release();
    }
  });
  return router.openapi(
    createRoute({
      method: 'get',
      path: '/v1/imports/{id}',
      operationId: 'getImport',
      tags,
      summary: 'An import, with its progress or final counts',
      request: { params: IdParam },
      responses: { 200: importResponse('the import'), ...problems(400, 401, 404) },
    }),
    async (c) => c.json(await getImport(ctx, c.req.valid('param').id), 200),
  );
}
