import { createRoute } from '@hono/zod-openapi';
import { json, problems } from '../../http/openapi';
import { Page, PageQuery } from '../../http/pagination';
import { PathId } from '../../http/params';
import { CreateList, List, ListAttributes, UpdateList } from './schemas';

const tags = ['lists'];
const ListIdParam = PathId('listId');

export const createListSpec = createRoute({
  method: 'post',
  path: '/v1/lists',
  operationId: 'createList',
  tags,
  summary: 'Create a contact list',
  request: {
    body: { content: { 'application/json': { schema: CreateList } }, required: true },
  },
  responses: { 201: json(List, 'the list'), ...problems(400, 401, 413, 422) },
});

export const listListsSpec = createRoute({
  method: 'get',
  path: '/v1/lists',
  operationId: 'listLists',
  tags,
  summary: 'Lists, newest first',
  request: { query: PageQuery },
  responses: { 200: json(Page(List), 'a page of lists'), ...problems(400, 401) },
});

export const getListSpec = createRoute({
  method: 'get',
  path: '/v1/lists/{listId}',
  operationId: 'getList',
  tags,
  summary: 'One list with its contact count',
  request: { params: ListIdParam },
  responses: { 200: json(List, 'the list'), ...problems(400, 401, 404) },
});

export const updateListSpec = createRoute({
  method: 'patch',
  path: '/v1/lists/{listId}',
  operationId: 'updateList',
  tags,
  summary: 'Rename a list, or change its description',
  request: {
    params: ListIdParam,
    body: { content: { 'application/json': { schema: UpdateList } }, required: true },
  },
  responses: { 200: json(List, 'the list'), ...problems(400, 401, 404, 413, 422) },
});

export const deleteListSpec = createRoute({
  method: 'delete',
  path: '/v1/lists/{listId}',
  operationId: 'deleteList',
  tags,
  summary: 'Delete a list (its contacts stay)',
  request: { params: ListIdParam },
  responses: { 204: { description: 'deleted' }, ...problems(400, 401, 404, 409) },
});

export const listAttributesSpec = createRoute({
  method: 'get',
  path: '/v1/lists/{listId}/attributes',
  operationId: 'getListAttributes',
  tags,
  summary: "The attribute names of a list's contacts: the placeholders a template can use",
  request: { params: ListIdParam },
  responses: { 200: json(ListAttributes, 'the names'), ...problems(400, 401, 404) },
});
