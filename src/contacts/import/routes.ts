import type { Context } from 'hono';
import type { AppContext } from '../../context';
import { InFlightLimit } from '../../http/in-flight';
import { createRouter } from '../../http/openapi';
import { validationError } from '../../http/problem';
import { getImport } from './imports';
import { receiveImport } from './receive-import';
import { getImportSpec, uploadSpec } from './route-specs';
import { ImportQuery } from './schemas';

const uploadPath = new RegExp(`^${uploadSpec.path.replace('{listId}', '[^/]+')}/?$`);

/** The CSV upload, which streams its body and counts its bytes against MAX_UPLOAD_BYTES. */
export const isUpload = (c: Context) => c.req.method === 'POST' && uploadPath.test(c.req.path);

/** CSV imports into a list, and their progress. */
export function importRoutes(ctx: AppContext) {
  const router = createRouter();
  const uploads = new InFlightLimit(
    'upload',
    ctx.config.UPLOADS_MAX_CONCURRENT,
    ctx.metrics.transfersInFlight,
  );
  // Documented, but not validated by the router: its body validators would buffer the upload
  // (and read it as a form); receiveImport streams it instead.
  router.openAPIRegistry.registerPath(uploadSpec);
  router.post(uploadSpec.path.replace('{listId}', ':listId'), async (c) => {
    const params = uploadSpec.request.params.safeParse(c.req.param());
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
  return router.openapi(getImportSpec, async (c) =>
    c.json(await getImport(ctx, c.req.valid('param').importId), 200),
  );
}
