import { createRoute } from '@hono/zod-openapi';
import { json, problems } from '../http/openapi';
import { PageQuery } from '../http/pagination';
import { PathId } from '../http/params';
import { CreateSender, Sender, SenderPage, UpdateSender } from './schemas';

const tags = ['senders'];
const SenderIdParam = PathId('senderId');
const adminWrites = 'Admins only (403 for other roles).';
const credentialsWords =
  'Credentials are write-only (never answered) and checked for the provider: chat-api `ChatApiCredentials`, cloud-api `CloudApiCredentials`, sandbox none; a 422 names each `credentials.<field>`. They are stored sealed under SECRETS_KEY (409 without one).';

export const listSendersSpec = createRoute({
  method: 'get',
  path: '/v1/senders',
  operationId: 'listSenders',
  tags,
  summary: 'Sending numbers, newest first',
  description: 'Every signed-in role reads them: a campaign names one.',
  request: { query: PageQuery },
  responses: { 200: json(SenderPage, 'a page of senders'), ...problems(400, 401) },
});

export const createSenderSpec = createRoute({
  method: 'post',
  path: '/v1/senders',
  operationId: 'createSender',
  tags,
  summary: 'Add a sending number',
  description: `${adminWrites} ${credentialsWords} A Cloud API number that is another sender's is a 409 naming \`credentials.phoneNumberId\`.`,
  request: {
    body: { content: { 'application/json': { schema: CreateSender } }, required: true },
  },
  responses: { 201: json(Sender, 'created'), ...problems(400, 401, 403, 409, 413, 422) },
});

export const getSenderSpec = createRoute({
  method: 'get',
  path: '/v1/senders/{senderId}',
  operationId: 'getSender',
  tags,
  summary: 'One sending number (never its credentials)',
  request: { params: SenderIdParam },
  responses: { 200: json(Sender, 'the sender'), ...problems(401, 404) },
});

export const updateSenderSpec = createRoute({
  method: 'patch',
  path: '/v1/senders/{senderId}',
  operationId: 'updateSender',
  tags,
  summary: 'Rename a sender, change its pace or limit, pause or resume it, replace its credentials',
  description: `${adminWrites} ${credentialsWords} New credentials bring an auth_failed sender back to active. The default sender's credentials, pace and limit come from the environment: changing them here is a 409.`,
  request: {
    params: SenderIdParam,
    body: { content: { 'application/json': { schema: UpdateSender } }, required: true },
  },
  responses: { 200: json(Sender, 'changed'), ...problems(400, 401, 403, 404, 409, 413, 422) },
});

export const deleteSenderSpec = createRoute({
  method: 'delete',
  path: '/v1/senders/{senderId}',
  operationId: 'deleteSender',
  tags,
  summary: 'Delete a sending number',
  description: `${adminWrites} A 409 for the default sender, and while a campaign that is not completed or cancelled (a draft included) uses it. Finished campaigns keep naming it.`,
  request: { params: SenderIdParam },
  responses: { 204: { description: 'deleted' }, ...problems(401, 403, 404, 409) },
});
