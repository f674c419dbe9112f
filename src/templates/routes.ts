import { createRoute, type z } from '@hono/zod-openapi';
import type { AppContext } from '../context';
import { AppError } from '../errors';
import { createRouter, problems } from '../http/openapi';
import { IdParam, isUuid, PageQuery } from '../http/params';
import { createTemplate } from './create-template';
import { deleteTemplate } from './delete-template';
import { getTemplate, listTemplates } from './get-templates';
import { CreateTemplate, Template, TemplatePage } from './schemas';

const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

const create = createRoute({
  method: 'post',
  path: '/v1/templates',
  operationId: 'createTemplate',
  tags: ['templates'],
  summary: 'Register a pre-approved template',
  request: {
    body: { content: { 'application/json': { schema: CreateTemplate } }, required: true },
  },
  responses: { 201: json(Template, 'created'), ...problems(400, 401, 422) },
});

const list = createRoute({
  method: 'get',
  path: '/v1/templates',
  operationId: 'listTemplates',
  tags: ['templates'],
  summary: 'Templates, newest first',
  request: { query: PageQuery },
  responses: { 200: json(TemplatePage, 'a page of templates'), ...problems(400, 401) },
});

const show = createRoute({
  method: 'get',
  path: '/v1/templates/{id}',
  operationId: 'getTemplate',
  tags: ['templates'],
  summary: 'One template',
  request: { params: IdParam },
  responses: { 200: json(Template, 'the template'), ...problems(401, 404) },
});

const remove = createRoute({
  method: 'delete',
  path: '/v1/templates/{id}',
  operationId: 'deleteTemplate',
  tags: ['templates'],
  summary: 'Delete a template no unfinished campaign uses',
  request: { params: IdParam },
  responses: { 204: { description: 'deleted' }, ...problems(401, 404, 409) },
});

function templateId(id: string): string {
  if (!isUuid(id)) throw AppError.notFound('template', id);
  return id;
}

export function templateRoutes(ctx: AppContext) {
  return createRouter()
    .openapi(create, async (c) => c.json(await createTemplate(ctx, c.req.valid('json')), 201))
    .openapi(list, async (c) => c.json(await listTemplates(ctx, c.req.valid('query')), 200))
    .openapi(show, async (c) =>
      c.json(await getTemplate(ctx, templateId(c.req.valid('param').id)), 200),
    )
    .openapi(remove, async (c) => {
      await deleteTemplate(ctx, templateId(c.req.valid('param').id));
      return c.body(null, 204);
    });
}
