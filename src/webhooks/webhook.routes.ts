import { createRoute, z } from '@hono/zod-openapi';
import type { AppContext } from '../context';
import { AppError } from '../errors';
import { safeEqual } from '../http/auth';
import { createRouter, problems } from '../http/openapi';
import { kickApplier } from './applier';
import { WebhookBody } from './event-schema';
import { webhookMetrics } from './metrics';
import { EventStore, parseWebhookBody } from './store-event';

const receiveSpec = createRoute({
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

export function webhookRoutes(ctx: AppContext) {
  const store = new EventStore(ctx.database.sql);
  const metrics = webhookMetrics(ctx.metrics.registry);
  const router = createRouter();
  // Documented, but not validated by the router: parseWebhookBody reads the text that is stored,
  // once, and refuses a body with a 400 (the provider's contract), where the router's validator
  // would parse it again and answer 422.
  router.openAPIRegistry.registerPath(receiveSpec);
  return router.post(receiveSpec.path, async (c) => {
    if (!safeEqual(c.req.query('secret') ?? '', ctx.secrets.webhookSecret)) {
      metrics.requests.inc({ result: 'unauthorized' });
      throw new AppError('unauthorized', 'The webhook needs ?secret=<WEBHOOK_SECRET>.');
    }
    const text = await c.req.text();
    try {
      parseWebhookBody(text);
      await store.store(text);
    } catch (error) {
      if (error instanceof AppError) metrics.requests.inc({ result: 'invalid' });
      throw error;
    }
    metrics.requests.inc({ result: 'stored' });
    kickApplier(ctx);
    return c.json({ ok: true as const }, 200);
  });
}
