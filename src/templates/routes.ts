import type { AppContext } from '../context';
import { createRouter } from '../http/openapi';
import { createTemplate } from './create-template';
import { deleteTemplate } from './delete-template';
import { getTemplate, listTemplates } from './get-templates';
import { previewTemplate } from './preview-template';
import {
  createSpec,
  listSpec,
  previewSpec,
  removeSpec,
  showSpec,
  syncSpec,
  updateSpec,
} from './route-specs';
import { syncTemplates } from './sync-templates';
import { updateTemplate } from './update-template';

export function templateRoutes(ctx: AppContext) {
  return createRouter()
    .openapi(createSpec, async (c) => c.json(await createTemplate(ctx, c.req.valid('json')), 201))
    .openapi(previewSpec, async (c) => c.json(await previewTemplate(ctx, c.req.valid('json')), 200))
    .openapi(listSpec, async (c) => c.json(await listTemplates(ctx, c.req.valid('query')), 200))
    .openapi(showSpec, async (c) =>
      c.json(await getTemplate(ctx, c.req.valid('param').templateId), 200),
    )
    .openapi(updateSpec, async (c) =>
      c.json(await updateTemplate(ctx, c.req.valid('param').templateId, c.req.valid('json')), 200),
    )
    .openapi(syncSpec, async (c) =>
      c.json(await syncTemplates(ctx, c.req.valid('param').senderId), 202),
    )
    .openapi(removeSpec, async (c) => {
      await deleteTemplate(ctx, c.req.valid('param').templateId);
      return c.body(null, 204);
    });
}
