import { createRoute } from '@hono/zod-openapi';
import { json, problems } from '../http/openapi';
import { Page, PageQuery } from '../http/pagination';
import { Conversation, ConversationMessage, ConversationQuery, PhoneParam } from './schemas';

export const conversationsSpec = createRoute({
  method: 'get',
  path: '/v1/conversations',
  operationId: 'listConversations',
  tags: ['conversations'],
  summary: 'Phones that wrote to us, latest window first',
  request: { query: ConversationQuery },
  responses: { 200: json(Page(Conversation), 'a page of conversations'), ...problems(400, 401) },
});

export const threadSpec = createRoute({
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

export const conversationSpec = createRoute({
  method: 'get',
  path: '/v1/conversations/{phone}',
  operationId: 'getConversation',
  tags: ['conversations'],
  summary: "One phone's conversation: its window, and whether it is open",
  request: { params: PhoneParam },
  responses: { 200: json(Conversation, 'the conversation'), ...problems(400, 401, 404) },
});
