import { createRoute, type z } from '@hono/zod-openapi';
import type { AppContext } from '../context';
import { createRouter, problems } from '../http/openapi';
import { Page, PageQuery } from '../http/pagination';
import { getMessage } from '../messages/get-message';
import { Message } from '../messages/message-json';
import { listConversations } from './list-conversations';
import { listThread } from './list-thread';
import { getProfile, updateProfile } from './profile';
import {
  Conversation,
  ConversationMessage,
  ConversationQuery,
  MessageIdParam,
  PhoneParam,
  Profile,
  ProfileUpdate,
  SendMessage,
} from './schemas';
import { sendFreeFormMessage } from './send-message';
import { webhookRoutes } from './webhook.routes';

const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

const conversationsSpec = createRoute({
  method: 'get',
  path: '/v1/conversations',
  operationId: 'listConversations',
  tags: ['conversations'],
  summary: 'Phones that wrote to us, latest window first',
  request: { query: ConversationQuery },
  responses: { 200: json(Page(Conversation), 'a page of conversations'), ...problems(400, 401) },
});

const threadSpec = createRoute({
  method: 'get',
  path: '/v1/conversations/{phone}/messages',
  operationId: 'listConversationMessages',
  tags: ['conversations'],
  summary: "A phone's conversation, both ways, oldest first",
  description:
    "The customer's messages, the templates that reached the provider (name and rendered parameters), follow-ups and free-form messages in every status, and messages typed in the WhatsApp app on the business's phone; the SQL view `conversation_messages` has the same rows.",
  request: { params: PhoneParam, query: PageQuery },
  responses: {
    200: json(Page(ConversationMessage), 'a page of the thread'),
    ...problems(400, 401),
  },
});

const sendSpec = createRoute({
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

const getMessageSpec = createRoute({
  method: 'get',
  path: '/v1/messages/{messageId}',
  operationId: 'getMessage',
  tags: ['conversations'],
  summary: 'One message (template, follow-up or free-form), to follow its status',
  request: { params: MessageIdParam },
  responses: { 200: json(Message, 'the message'), ...problems(401, 404) },
});

const getProfileSpec = createRoute({
  method: 'get',
  path: '/v1/profile',
  operationId: 'getProfile',
  tags: ['profile'],
  summary: "The business profile (the provider's /me)",
  responses: { 200: json(Profile, 'the profile'), ...problems(401, 502) },
});

const patchProfileSpec = createRoute({
  method: 'patch',
  path: '/v1/profile',
  operationId: 'updateProfile',
  tags: ['profile'],
  summary: 'Change the business profile at the provider',
  request: {
    body: { content: { 'application/json': { schema: ProfileUpdate } }, required: true },
  },
  responses: {
    200: json(Profile, 'the profile after the change'),
    ...problems(400, 401, 422, 502),
  },
});

/** The webhook, conversations and free-form messages, and the business profile. */
export function conversationRoutes(ctx: AppContext) {
  return createRouter()
    .route('/', webhookRoutes(ctx))
    .openapi(conversationsSpec, async (c) =>
      c.json(await listConversations(ctx, c.req.valid('query')), 200),
    )
    .openapi(threadSpec, async (c) =>
      c.json(await listThread(ctx, c.req.valid('param').phone, c.req.valid('query')), 200),
    )
    .openapi(sendSpec, async (c) =>
      c.json(await sendFreeFormMessage(ctx, c.req.valid('json')), 202),
    )
    .openapi(getMessageSpec, async (c) =>
      c.json(await getMessage(ctx, c.req.valid('param').messageId), 200),
    )
    .openapi(getProfileSpec, async (c) => c.json(await getProfile(ctx), 200))
    .openapi(patchProfileSpec, async (c) =>
      c.json(await updateProfile(ctx, c.req.valid('json')), 200),
    );
}
