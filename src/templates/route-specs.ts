import { createRoute } from '@hono/zod-openapi';
import { json, problems } from '../http/openapi';
import { PageQuery } from '../http/pagination';
import { PathId } from '../http/params';
import { TemplatePreview, TemplatePreviewRequest } from './preview-schemas';
import { CreateTemplate, Template, TemplatePage, TemplateSync, UpdateTemplate } from './schemas';

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

export const updateSpec = createRoute({
  method: 'patch',
  path: '/v1/templates/{templateId}',
  operationId: 'updateTemplate',
  tags: ['templates'],
  summary: "Set how a template's body, header and button parameters are filled per contact",
  description:
    "`parameters`: a list of texts for a positional template (as many as its body has, for a synced one), an object of texts by name for a named one. `headerParameter`: the header's value, for a synced template whose header has a variable (the text) or is an image, video or document (the link, sent as Meta's `{type: \"image\", image: {link}}`). `buttonParameters`: `[{index, value}]` for its buttons that take one (a URL button's suffix, a copy-code button's coupon code, a quick reply's payload; `componentSlots` of the template lists them). Each value may hold `{{attribute|fallback}}` placeholders, rendered per contact like the body's. What does not fit the template is a 422 naming it; a template a run is sending is a 409. A campaign cannot start while its template's header or a URL or copy-code button is unset (409 `template_parameters_unset`). A sync never changes them.",
  request: {
    params: TemplateIdParam,
    body: { content: { 'application/json': { schema: UpdateTemplate } }, required: true },
  },
  responses: { 200: json(Template, 'changed'), ...problems(400, 401, 404, 409, 422) },
});

export const syncSpec = createRoute({
  method: 'post',
  path: '/v1/senders/{senderId}/templates/sync',
  operationId: 'syncTemplates',
  tags: ['templates', 'senders'],
  summary: "Read a Cloud API sender's templates from Meta",
  description:
    "Reads every page of the sender's business account's templates and stores them: new ones added (`source: synced`, their parameters unset), changed ones updated (their parameters kept), those Meta no longer lists marked `disabled`. A sender that is not cloud-api is a 409; Meta unreachable or refusing the token is a 502, and nothing is changed. A token Meta refuses (code 190, or a 401) also marks the sender `auth_failed`, as a refused send does, and the 502's detail names the sender and the fix: new credentials by `PATCH /v1/senders/{senderId}` (the default sender's: a new `WHATSAPP_ACCESS_TOKEN` and a restart). Runs by itself every TEMPLATE_SYNC_MINUTES.",
  request: { params: PathId('senderId') },
  responses: { 202: json(TemplateSync, 'synced'), ...problems(401, 404, 409, 502) },
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
