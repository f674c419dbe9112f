import { createRoute } from '@hono/zod-openapi';
import { json, problems } from '../http/openapi';
import { PathId } from '../http/params';
import { Message } from './message-json';
import { SendMessage } from './schemas';

export const sendSpec = createRoute({
  method: 'post',
  path: '/v1/messages',
  operationId: 'sendMessage',
  tags: ['conversations'],
  summary: "Send a free-form message inside the phone's open window",
  description:
    '409 `window_closed` when the phone has not written in the last 24 hours, 409 `opted_out` when it has opted out. Follow the message with GET /v1/messages/{messageId}.',
  request: { body: { content: { 'application/json': { schema: SendMessage } }, required: true } },
  responses: { 202: json(Message, 'queued for sending'), ...problems(400, 401, 409, 422) },
});

export const getMessageSpec = createRoute({
  method: 'get',
  path: '/v1/messages/{messageId}',
  operationId: 'getMessage',
  tags: ['conversations'],
  summary: 'One message (template, follow-up or free-form), to follow its status',
  request: { params: PathId('messageId') },
  responses: { 200: json(Message, 'the message'), ...problems(401, 404) },
});
