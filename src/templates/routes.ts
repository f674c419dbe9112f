import type { AppContext } from '../context';
import { AppError } from '../errors';
import { createRouter } from '../http/openapi';
import { isUuid } from '../http/params';
import { createTemplate } from './create-template';
import { deleteTemplate } from './delete-template';
import { getTemplate, listTemplates } from './get-templates';
import { createSpec, listSpec, removeSpec, showSpec } from './route-specs';

function templateId(id: string): string {
  if (!isUuid(id)) throw AppError.notFound('template', id);
  return id;
}

export function templateRoutes(ctx: AppContext) {
  return createRouter()
    .openapi(createSpec, async (c) => c.json(await createTemplate(ctx, c.req.valid('json')), 201))
    .openapi(listSpec, async (c) => c.json(await listTemplates(ctx, c.req.valid('query')), 200))
    .openapi(showSpec, async (c) =>
      c.json(await getTemplate(ctx, templateId(c.req.valid('param').id)), 200),
    )
    .openapi(removeSpec, async (c) => {
      await deleteTemplate(ctx, templateId(c.req.valid('param').id));
      return c.body(null, 204);
    });
}
