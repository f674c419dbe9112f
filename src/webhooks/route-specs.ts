import { createRoute, z } from '@hono/zod-openapi';
import { problems } from '../http/openapi';
import { PathId } from '../http/params';
import { CloudEnvelope } from '../provider/cloud-api-webhook-schema';
import { WebhookBody } from './event-schema';

const ChatApiBody = WebhookBody.openapi('WebhookBody');

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
      content: { 'application/json': { schema: ChatApiBody } },
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

export const receiveForSenderSpec = createRoute({
  method: 'post',
  path: '/webhooks/chat-api/{senderId}',
  operationId: 'receiveSenderWebhook',
  tags: ['webhook'],
  summary: "A chat-api sender's webhook: acks and messages",
  description:
    "The webhook of a chat-api sender other than the default one (whose path is `/webhooks/chat-api`): the same bodies, stored with the sender's id. Not under the bearer token: the `secret` query parameter must be the sender's `webhookSecret` credential (WEBHOOK_SECRET for the default sender).",
  security: [],
  request: {
    params: PathId('senderId'),
    query: z.object({
      secret: z.string().optional().openapi({
        description: "the sender's webhookSecret credential; without it, a 401",
      }),
    }),
    body: {
      content: { 'application/json': { schema: ChatApiBody } },
      required: true,
    },
  },
  responses: {
    200: {
      description: 'stored',
      content: { 'application/json': { schema: z.object({ ok: z.literal(true) }) } },
    },
    ...problems(400, 401, 404, 413, 415),
  },
});

export const verifyCloudApiSpec = createRoute({
  method: 'get',
  path: '/webhooks/whatsapp',
  operationId: 'verifyCloudApiWebhook',
  tags: ['webhook'],
  summary: "Meta's verification of the Cloud API webhook URL",
  description:
    "What Meta's app dashboard calls when the callback URL is saved: answers `hub.challenge` as plain text when `hub.mode` is `subscribe` and `hub.verify_token` is a Cloud API sender's verify token (WHATSAPP_VERIFY_TOKEN for the default sender), else 403.",
  security: [],
  request: {
    query: z.object({
      'hub.mode': z.string().optional().openapi({ description: '`subscribe`' }),
      'hub.verify_token': z
        .string()
        .optional()
        .openapi({ description: "a Cloud API sender's verify token (at most 256 characters)" }),
      'hub.challenge': z
        .string()
        .optional()
        .openapi({ description: "Meta's challenge, answered back (at most 256 word characters)" }),
    }),
  },
  responses: {
    200: {
      description: 'the challenge',
      content: { 'text/plain': { schema: z.string() } },
    },
    ...problems(403),
  },
});

export const receiveCloudApiSpec = createRoute({
  method: 'post',
  path: '/webhooks/whatsapp',
  operationId: 'receiveCloudApiWebhook',
  tags: ['webhook'],
  summary: "Meta's WhatsApp Cloud API webhook: statuses, messages, template updates",
  description:
    "Takes Meta's `whatsapp_business_account` bodies (fields `messages`, `message_template_status_update`, `message_template_quality_update`; others are stored and ignored). Not under the bearer token: `X-Hub-Signature-256` must be `sha256=` and the HMAC-SHA256 of the raw body under a Cloud API sender's app secret (WHATSAPP_APP_SECRET for the default sender), else 401 and nothing is stored. Answers 200 once the body is stored; it is applied right after, each entry for the sender of its `metadata.phone_number_id`.",
  security: [],
  request: {
    headers: z.object({
      'x-hub-signature-256': z.string().optional().openapi({
        description: '`sha256=<hex>`: the HMAC-SHA256 of the raw body under the app secret',
      }),
    }),
    body: {
      content: {
        'application/json': { schema: CloudEnvelope.openapi('CloudApiWebhookBody') },
      },
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
