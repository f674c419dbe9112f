import { createRoute, type z } from '@hono/zod-openapi';
import type { AppContext } from '../context';
import { createRouter, problems } from '../http/openapi';
import { Page, PageQuery } from '../http/pagination';
import { createList, deleteList, getList, listLists } from './lists';
import { CreateList, List, ListId } from './schemas';

const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

const tags = ['lists'];

export function listsRoutes(ctx: AppContext) {
  return createRouter()
    .openapi(
      createRoute({
        method: 'post',
        path: '/v1/lists',
        operationId: 'createList',
        tags,
        summary: 'Create a contact list',
        request: {
          body: { content: { 'application/json': { schema: CreateList } }, required: true },
        },
        responses: { 201: json(List, 'the list'), ...problems(400, 401, 413, 422) },
      }),
      async (c) => c.json(await createList(ctx, c.req.valid('json')), 201),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/v1/lists',
        operationId: 'listLists',
        tags,
        summary: 'Lists, newest first',
        request: { query: PageQuery },
        responses: { 200: json(Page(List), 'a page of lists'), ...problems(400, 401) },
      }),
      async (c) => c.json(await listLists(ctx, c.req.valid('query')), 200),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/v1/lists/{listId}',
        operationId: 'getList',
        tags,
        summary: 'One list with its contact count',
        request: { params: ListId },
        responses: { 200: json(List, 'the list'), ...problems(400, 401, 404) },
      }),
      async (c) => c.json(await getList(ctx, c.req.valid('param').listId), 200),
    )
    .openapi(
      createRoute({
        method: 'delete',
        path: '/v1/lists/{listId}',
        operationId: 'deleteList',
        tags,
        summary: 'Delete a list (its contacts stay)',
        request: { params: ListId },
        responses: { 204: { description: 'deleted' }, ...problems(400, 401, 404, 409) },
      }),
      async (c) => {
        await deleteList(ctx, c.req.valid('param').listId);
        return c.body(null, 204);
      },
    );
}
