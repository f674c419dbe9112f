import { createRoute, z } from '@hono/zod-openapi';
import { problems } from '../http/openapi';
import { WebhookBody } from './event-schema';

export const receiveSpec = createRoute({
  method: 'post',
  path: '/webhooks/chat-api',
  operationId: 'receiveWebhook',
  tags: ['webhook'],
  summary: "The provider's webhook: acks and messages",
  description:
    'Takes chat-api bodies `{messages: [...], instanceId}` and `{ack: [...], instanceId}` (either or both; `channelId` instead of `instanceId` too). Answers 200 once the body is stored; it is applied right after. Not under the bearer token: the `secret` query parameter must be WEBHOOK_SECRET.',
  security: [],
  request: {
    query: z.object({
      secret: z.string().optional().openapi({ description: 'WEBHOOK_SECRET; without it, a 401' }),
    }),
    body: {
      content: { 'application/json': { schema: WebhookBody.openapi('WebhookBody') } },
      required: true,
    },
  },
  responses: {
    200: {
      description: 'stored',
      content: { 'application/json': { schema: z.object({ ok: z.literal(true) }) } },
    },
    ...problems(400, 401, 413, 415),
  },
});
