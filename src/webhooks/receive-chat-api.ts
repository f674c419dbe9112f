import { AppError } from '../errors';
import { safeEqual } from '../http/auth';
import { assertUuid } from '../http/params';
import type { WebhookMetrics } from './metrics';
import { type EventStore, parseWebhookBody } from './store-event';
import type { WebhookSenders } from './webhook-senders';

type Deps = { senders: WebhookSenders; store: EventStore; metrics: WebhookMetrics };

/**
 * A chat-api body, checked (400, nothing stored) and stored for `senderId` (null: the default
 * sender's path, `/webhooks/chat-api`).
 */
export async function storeChatApiBody(
  deps: Deps,
  text: string,
  senderId: string | null,
): Promise<void> {
  try {
    parseWebhookBody(text);
    await deps.store.store(text, { source: 'chat-api', senderId });
  } catch (error) {
    if (error instanceof AppError) deps.metrics.requests.inc({ result: 'invalid' });
    throw error;
  }
  deps.metrics.requests.inc({ result: 'stored' });
}

/**
 * `/webhooks/chat-api/{senderId}`: the sender must be a chat-api sender not deleted (404
 * otherwise), and `secret` its `webhookSecret` credential (WEBHOOK_SECRET for the default
 * sender); a sender without one takes no webhook (401, saying so).
 */
export async function assertChatApiSenderSecret(
  deps: Deps,
  senderId: string,
  secret: string | undefined,
): Promise<void> {
  assertUuid(senderId, 'Sender');
  const expected = await deps.senders.find((known) =>
    known.chatApi.has(senderId) ? { secret: known.chatApi.get(senderId) } : undefined,
  );
  if (!expected) {
    // unknown, deleted, or not a chat-api sender: no chat-api webhook of that id exists
    throw AppError.notFound('Sender', senderId);
  }
  if (expected.secret === undefined || !safeEqual(secret ?? '', expected.secret)) {
    deps.metrics.requests.inc({ result: 'unauthorized' });
    throw new AppError(
      'unauthorized',
      expected.secret === undefined
        ? `Sender ${senderId} has no webhook secret: set its credentials.webhookSecret (PATCH /v1/senders/${senderId}).`
        : "The webhook needs ?secret=<the sender's webhookSecret>.",
    );
  }
}
