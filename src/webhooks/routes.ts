import type { AppContext } from '../context';
import { AppError } from '../errors';
import { safeEqual } from '../http/auth';
import { createRouter } from '../http/openapi';
import { receiveSpec } from './route-specs';
import { EventStore, parseWebhookBody } from './store-event';

/** The provider's webhook: each body is stored, then applied by the event applier. */
export function webhookRoutes(ctx: AppContext) {
  const store = new EventStore(ctx.database.sql);
  const metrics = ctx.metrics.webhooks;
  const router = createRouter();
  // Documented, but not validated by the router: parseWebhookBody reads the text that is stored,
  // once, and refuses a body with a 400 (docs/design.md, rule 20), where the router's validator
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
    ctx.applier.kick();
    return c.json({ ok: true as const }, 200);
  });
}
