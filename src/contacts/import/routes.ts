import type { Context } from 'hono';
import type { AppContext } from '../../context';
import { InFlightLimit } from '../../http/in-flight';
import { createRouter } from '../../http/openapi';
import { validationError } from '../../http/problem';
import { exportImportErrors } from './export-import-errors';
import { getImport, listImports } from './imports';
import { previewImport } from './preview-import';
import { receiveImport } from './receive-import';
import {
  getImportSpec,
  importErrorsSpec,
  listImportsSpec,
  previewSpec,
  uploadSpec,
} from './route-specs';
import { ImportQuery, PreviewQuery } from './schemas';

const uploadPath = new RegExp(`^${uploadSpec.path.replace('{listId}', '[^/]+')}/?$`);
const previewPath = new RegExp(`^${previewSpec.path}/?$`);

/**
 * The CSV upload and the preview, which stream their bodies and count their bytes against
 * their own limits (MAX_UPLOAD_BYTES, PREVIEW_MAX_BYTES): the JSON body checks leave them be.
 */
export const isUpload = (c: Context) =>
  c.req.method === 'POST' && (uploadPath.test(c.req.path) || previewPath.test(c.req.path));

/** CSV imports into a list, a list's imports, their progress and rejected rows, and the preview of a file. */
export function importRoutes(ctx: AppContext) {
  const router = createRouter();
  const uploads = new InFlightLimit(
    'upload',
    ctx.config.UPLOADS_MAX_CONCURRENT,
    ctx.metrics.transfersInFlight,
  );
  // Documented, but not validated by the router: its body validators would buffer the upload
  // (and read it as a form); receiveImport and previewImport stream it instead.
  router.openAPIRegistry.registerPath(uploadSpec);
  router.openAPIRegistry.registerPath(previewSpec);
  router.post(previewSpec.path, async (c) => {
    const query = PreviewQuery.safeParse(c.req.query());
    if (!query.success) throw validationError(query.error, 'query');
    const release = uploads.admit();
    try {
      return c.json(await previewImport(ctx, query.data, c.req.raw), 200);
    } finally {
      release();
    }
  });
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
  return router
    .openapi(getImportSpec, async (c) =>
      c.json(await getImport(ctx, c.req.valid('param').importId), 200),
    )
    .openapi(listImportsSpec, async (c) =>
      c.json(await listImports(ctx, c.req.valid('param').listId, c.req.valid('query')), 200),
    )
    .openapi(importErrorsSpec, async (c) => {
      const { filename, csv } = await exportImportErrors(ctx, c.req.valid('param').importId);
      return c.body(csv, 200, {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="${filename}"`,
      });
    });
}
