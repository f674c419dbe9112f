import type { AppContext } from '../context';
import { AppError } from '../errors';
import { safeEqual } from '../http/auth';
import { createRouter } from '../http/openapi';
import { assertChatApiSenderSecret, storeChatApiBody } from './receive-chat-api';
import { answerCloudApiSubscription, receiveCloudApiWebhook } from './receive-cloud-api';
import {
  receiveCloudApiSpec,
  receiveForSenderSpec,
  receiveSpec,
  verifyCloudApiSpec,
} from './route-specs';
import { EventStore } from './store-event';
import { WebhookSenders } from './webhook-senders';

/** The providers' webhooks: each body is stored, then applied by the event applier. */
export function webhookRoutes(ctx: AppContext) {
  const deps = {
    store: new EventStore(ctx.database.sql),
    senders: new WebhookSenders(ctx),
    metrics: ctx.metrics.webhooks,
  };
  const router = createRouter();
  // Documented, but not validated by the router: the verbs read the text that is stored, once,
  // and refuse a body with a 400 (docs/design.md, rule 20), where the router's validator would
  // parse it again and answer 422; the Cloud API's signature is of the raw bytes.
  for (const spec of [receiveSpec, receiveForSenderSpec, verifyCloudApiSpec, receiveCloudApiSpec])
    router.openAPIRegistry.registerPath(spec);
  const stored = () => {
    ctx.applier.kick();
    return { ok: true as const };
  };
  return router
    .post(receiveSpec.path, async (c) => {
      if (!safeEqual(c.req.query('secret') ?? '', ctx.secrets.webhookSecret)) {
        deps.metrics.requests.inc({ result: 'unauthorized' });
        throw new AppError('unauthorized', 'The webhook needs ?secret=<WEBHOOK_SECRET>.');
      }
      await storeChatApiBody(deps, await c.req.text(), null);
      return c.json(stored(), 200);
    })
    .post('/webhooks/chat-api/:senderId', async (c) => {
      const senderId = c.req.param('senderId');
      await assertChatApiSenderSecret(deps, senderId, c.req.query('secret'));
      await storeChatApiBody(deps, await c.req.text(), senderId);
      return c.json(stored(), 200);
    })
    .get(verifyCloudApiSpec.path, async (c) => {
      const challenge = await answerCloudApiSubscription(deps.senders, c.req.query());
      return c.text(challenge, 200);
    })
    .post(receiveCloudApiSpec.path, async (c) => {
      // the bytes as received (strictUtf8Body read them, and Hono keeps them), for the HMAC
      const raw = Buffer.from(await c.req.arrayBuffer());
      await receiveCloudApiWebhook(
        deps,
        raw,
        await c.req.text(),
        c.req.header('x-hub-signature-256'),
      );
      return c.json(stored(), 200);
    });
}
