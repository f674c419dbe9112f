import { AppError } from '../errors';
import {
  type CloudApiEvent,
  parseCloudApiWebhook,
  verifySignature,
  verifySubscription,
} from '../provider/cloud-api-webhook';
import type { WebhookMetrics } from './metrics';
import type { EventStore } from './store-event';
import type { CloudApiWebhookSender, WebhookSenders } from './webhook-senders';

/** The query of Meta's verification, each at most 256 characters (a verify token's bound). */
const SUBSCRIPTION_FIELDS = ['hub.mode', 'hub.verify_token', 'hub.challenge'] as const;

/**
 * Meta's verification of the callback URL (docs/providers.md, Webhooks): the challenge when the
 * verify token is one of a Cloud API sender's, else a 403.
 */
export async function answerCloudApiSubscription(
  senders: WebhookSenders,
  query: Record<string, string | undefined>,
): Promise<string> {
  const bounded = SUBSCRIPTION_FIELDS.every((field) => (query[field]?.length ?? 0) <= 256);
  const challenge = bounded
    ? await senders.find((known) =>
        verifySubscription(
          query,
          known.cloudApi.map((sender) => sender.verifyToken),
        ),
      )
    : undefined;
  if (challenge === undefined) {
    throw new AppError(
      'forbidden',
      "Not a subscription of ours: hub.mode=subscribe, a Cloud API sender's verify token as hub.verify_token, and hub.challenge are needed.",
    );
  }
  return challenge;
}

/**
 * A POST of Meta's webhook (docs/design.md, rule 20): taken only when X-Hub-Signature-256 signs
 * the raw bytes under a Cloud API sender's app secret (401 and nothing stored otherwise), read
 * into events (a 400 naming where, nothing stored), then stored as received, with the sender it
 * is for when all its entries are one sender's. The applier routes each event by its own entry.
 */
export async function receiveCloudApiWebhook(
  deps: { senders: WebhookSenders; store: EventStore; metrics: WebhookMetrics },
  raw: Buffer,
  text: string,
  signature: string | undefined,
): Promise<void> {
  const { metrics } = deps;
  const signers = await deps.senders.find((known) =>
    verifySignature(
      raw,
      signature,
      known.cloudApi.map((sender) => sender.appSecret),
    )
      ? known.cloudApi
      : undefined,
  );
  if (!signers) {
    metrics.requests.inc({ result: 'unauthorized' });
    throw new AppError(
      'unauthorized',
      "X-Hub-Signature-256 must be the HMAC-SHA256 of the body under a Cloud API sender's app secret.",
    );
  }
  try {
    const events = parseEvents(text);
    await deps.store.store(text, { source: 'cloud-api', senderId: soleSender(events, signers) });
  } catch (error) {
    if (error instanceof AppError) metrics.requests.inc({ result: 'invalid' });
    throw error;
  }
  metrics.requests.inc({ result: 'stored' });
}

function parseEvents(text: string): CloudApiEvent[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new AppError(
      'bad_request',
      `The body is not JSON: ${(error as Error).message}`,
      undefined,
      400,
    );
  }
  const parsed = parseCloudApiWebhook(json);
  if (!parsed.ok) {
    throw new AppError(
      'bad_request',
      `Not a WhatsApp Cloud API webhook body: ${parsed.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`,
      parsed.errors,
      400,
    );
  }
  return parsed.events;
}

/**
 * The one sender all the body's events are for (by number, or by business account for template
 * events when one sender has it), else null: a body of several senders' entries, or of none we
 * know. Only a label for operators; the applier routes every event itself.
 */
function soleSender(events: CloudApiEvent[], senders: CloudApiWebhookSender[]): string | null {
  const ids = new Set<string | undefined>();
  for (const event of events) {
    if (event.phoneNumberId !== null) {
      ids.add(senders.find((s) => s.phoneNumberId === event.phoneNumberId)?.senderId);
    } else {
      const owners = senders.filter((s) => s.businessAccountId === event.businessAccountId);
      ids.add(owners.length === 1 ? owners[0]?.senderId : undefined);
    }
    if (ids.size > 1) return null;
  }
  const [only] = ids;
  return only ?? null;
}
