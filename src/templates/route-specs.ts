import { createRoute } from '@hono/zod-openapi';
import { json, problems } from '../http/openapi';
import { PageQuery } from '../http/pagination';
import { PathId } from '../http/params';
import { TemplatePreview, TemplatePreviewRequest } from './preview-schemas';
import { CreateTemplate, Template, TemplatePage } from './schemas';

const TemplateIdParam = PathId('templateId');

export const createSpec = createRoute({
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

export const listSpec = createRoute({
  method: 'get',
  path: '/v1/templates',
  operationId: 'listTemplates',
  tags: ['templates'],
  summary: 'Templates, newest first',
  request: { query: PageQuery },
  responses: { 200: json(TemplatePage, 'a page of templates'), ...problems(400, 401) },
});

export const showSpec = createRoute({
  method: 'get',
  path: '/v1/templates/{templateId}',
  operationId: 'getTemplate',
  tags: ['templates'],
  summary: 'One template',
  request: { params: TemplateIdParam },
  responses: { 200: json(Template, 'the template'), ...problems(401, 404) },
});

export const removeSpec = createRoute({
  method: 'delete',
  path: '/v1/templates/{templateId}',
  operationId: 'deleteTemplate',
  tags: ['templates'],
  summary: 'Delete a template no unfinished campaign uses',
  request: { params: TemplateIdParam },
  responses: { 204: { description: 'deleted' }, ...problems(401, 404, 409) },
});

export const previewSpec = createRoute({
  method: 'post',
  path: '/v1/templates/preview',
  operationId: 'previewTemplate',
  tags: ['templates'],
  summary:
    "Render a template's parameters (saved or being written) and a follow-up for one contact, with what each part came from; writes nothing",
  request: {
    body: { content: { 'application/json': { schema: TemplatePreviewRequest } }, required: true },
  },
  responses: { 200: json(TemplatePreview, 'the rendered texts'), ...problems(400, 401, 404, 422) },
});
