import { createRoute, z } from '@hono/zod-openapi';
import { json, problems } from '../http/openapi';
import { Page, PageQuery } from '../http/pagination';
import { PathId } from '../http/params';
import { formatCount } from '../text';
import {
  Contact,
  ContactListEntry,
  ContactSearchPage,
  ContactSearchQuery,
  CreateOptOut,
  OptOut,
} from './schemas';
import { SEARCH_SCAN_ROWS } from './search-contacts';

export const listContactsSpec = createRoute({
  method: 'get',
  path: '/v1/lists/{listId}/contacts',
  operationId: 'listContacts',
  tags: ['contacts'],
  summary: "A list's contacts",
  request: { params: PathId('listId'), query: PageQuery },
  responses: { 200: json(Page(Contact), 'a page of contacts'), ...problems(400, 401, 404) },
});

export const getContactSpec = createRoute({
  method: 'get',
  path: '/v1/contacts/{contactId}',
  operationId: 'getContact',
  tags: ['contacts'],
  summary: 'One contact',
  request: { params: PathId('contactId') },
  responses: { 200: json(Contact, 'the contact'), ...problems(400, 401, 404) },
});

export const searchContactsSpec = createRoute({
  method: 'get',
  path: '/v1/contacts',
  operationId: 'searchContacts',
  tags: ['contacts'],
  summary: 'Contacts whose phone or an attribute holds the text, in id order',
  description: `A whole phone number that names a contact is found through the index at once. Anything else is a bounded scan: each page looks at the next ${formatCount(SEARCH_SCAN_ROWS)} contacts (of the list, with \`listId\`) and answers the matches among them, so a page may be short, or empty, and still have a \`nextCursor\` to search on from where it stopped.`,
  request: { query: ContactSearchQuery },
  responses: { 200: json(ContactSearchPage, 'matches'), ...problems(400, 401, 404) },
});

export const listContactListsSpec = createRoute({
  method: 'get',
  path: '/v1/contacts/{contactId}/lists',
  operationId: 'listContactLists',
  tags: ['contacts'],
  summary: 'The lists that hold a contact, newest list first',
  request: { params: PathId('contactId'), query: PageQuery },
  responses: {
    200: json(Page(ContactListEntry), 'a page of lists'),
    ...problems(400, 401, 404),
  },
});

export const listOptOutsSpec = createRoute({
  method: 'get',
  path: '/v1/opt-outs',
  operationId: 'listOptOuts',
  tags: ['opt-outs'],
  summary: 'Opted-out phones, newest first',
  request: { query: PageQuery },
  responses: { 200: json(Page(OptOut), 'a page of opt-outs'), ...problems(400, 401) },
});

export const addOptOutSpec = createRoute({
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
});

export const removeOptOutSpec = createRoute({
  method: 'delete',
  path: '/v1/opt-outs/{phone}',
  operationId: 'removeOptOut',
  tags: ['opt-outs'],
  summary: 'Opt a phone back in',
  request: { params: z.object({ phone: z.string().min(1) }) },
  responses: { 204: { description: 'opted back in' }, ...problems(401, 404, 422) },
});
