import { createRoute, z } from '@hono/zod-openapi';
import type { AppContext } from '../context';
import { createRouter, problems } from '../http/openapi';
import { Page, PageQuery } from '../http/pagination';
import { IdParam } from '../http/params';
import { getContact, listContacts } from './contacts';
import { addOptOut, listOptOuts, removeOptOut } from './opt-outs';
import { Contact, CreateOptOut, ListId, OptOut } from './schemas';

const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

export function contactsRoutes(ctx: AppContext) {
  return createRouter()
    .openapi(
      createRoute({
        method: 'get',
        path: '/v1/lists/{listId}/contacts',
        operationId: 'listContacts',
        tags: ['contacts'],
        summary: "A list's contacts",
        request: { params: ListId, query: PageQuery },
        responses: { 200: json(Page(Contact), 'a page of contacts'), ...problems(400, 401, 404) },
      }),
      async (c) =>
        c.json(await listContacts(ctx, c.req.valid('param').listId, c.req.valid('query')), 200),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/v1/contacts/{id}',
        operationId: 'getContact',
        tags: ['contacts'],
        summary: 'One contact',
        request: { params: IdParam },
        responses: { 200: json(Contact, 'the contact'), ...problems(400, 401, 404) },
      }),
      async (c) => c.json(await getContact(ctx, c.req.valid('param').id), 200),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/v1/opt-outs',
        operationId: 'listOptOuts',
        tags: ['opt-outs'],
        summary: 'Opted-out phones, newest first',
        request: { query: PageQuery },
        responses: { 200: json(Page(OptOut), 'a page of opt-outs'), ...problems(400, 401) },
      }),
      async (c) => c.json(await listOptOuts(ctx, c.req.valid('query')), 200),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/v1/opt-outs',
        operationId: 'addOptOut',
        tags: ['opt-outs'],
        summary: 'Opt a phone out (idempotent)',
        request: {
          body: { content: { 'application/json': { schema: CreateOptOut } }, required: true },
        },
        responses: {
          201: json(OptOut, 'opted out'),
          200: json(OptOut, 'was already opted out'),
          ...problems(400, 401, 422),
        },
      }),
      async (c) => {
        const { optOut, created } = await addOptOut(ctx, c.req.valid('json').phone);
        return created ? c.json(optOut, 201) : c.json(optOut, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'delete',
        path: '/v1/opt-outs/{phone}',
        operationId: 'removeOptOut',
        tags: ['opt-outs'],
        summary: 'Opt a phone back in',
        request: { params: z.object({ phone: z.string().min(1) }) },
        responses: { 204: { description: 'opted back in' }, ...problems(401, 404, 422) },
      }),
      async (c) => {
        await removeOptOut(ctx, c.req.valid('param').phone);
        return c.body(null, 204);
      },
    );
}
