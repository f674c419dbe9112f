import type { AppContext } from '../context';
import { savepoint, type Tx, transaction } from '../db/transaction';
import { isTransient } from '../db/transient';
import { type CloudApiEvent, parseCloudApiWebhook } from '../provider/cloud-api-webhook';
import { type AckCounts, applyAcks } from './apply-acks';
import { applyCloudEvents, type CloudOutcome } from './apply-cloud-events';
import { applyMessage, type MessageResult } from './apply-message';
import { type WebhookAck, WebhookBody } from './event-schema';
import { lockEvents, markFailed, markProcessed, type StoredEvent } from './queries';

export const APPLY_BATCH = 200;

type Outcome = { acks: AckCounts; messages: MessageResult[]; cloud: CloudOutcome | undefined };

/** A stored body read back: a chat-api one, or Meta's as its events. */
type Parsed =
  | { source: 'chat-api'; body: WebhookBody; senderId: string | null }
  | { source: 'cloud-api'; events: CloudApiEvent[] };

/**
 * Applies the next stored events that no one has applied yet, oldest first. Fast path: up to
 * APPLY_BATCH events in one transaction, all their acks in one statement. When that fails, the
 * same events are applied one per transaction, so that one event that cannot be applied (a bug,
 * a body an older version accepted) is parked with its `error` and does not hold back the
 * others. `FOR UPDATE SKIP LOCKED`: processes applying at the same time take disjoint events.
 * Returns how many events it took.
 */
export async function applyStoredEvents(ctx: AppContext, limit = APPLY_BATCH): Promise<number> {
  try {
    const result = await transaction(ctx.database, async (tx) => {
      const events = await lockEvents(tx.sql, limit);
      if (events.length === 0) return { count: 0, outcome: undefined };
      const outcome = await applyBodies(ctx, tx, events.map(parseStored));
      await markProcessed(
        tx.sql,
        events.map((event) => event.id),
      );
      return { count: events.length, outcome };
    });
    if (result.outcome) record(ctx, result.outcome);
    return result.count;
  } catch (error) {
    if (isTransient(error)) throw error;
    ctx.logger.warn({ err: error }, 'webhook batch failed; applying its events one by one');
    let count = 0;
    while (count < limit && (await applyOneEvent(ctx))) count++;
    return count;
  }
}

async function applyOneEvent(ctx: AppContext): Promise<boolean> {
  let outcome: Outcome | undefined;
  const found = await transaction(ctx.database, async (tx) => {
    const [event] = await lockEvents(tx.sql, 1);
    if (!event) return false;
    try {
      outcome = await savepoint(tx, (sp) => applyBodies(ctx, sp, [parseStored(event)]));
      await markProcessed(tx.sql, [event.id]);
    } catch (error) {
      if (isTransient(error)) throw error;
      ctx.logger.error({ err: error, eventId: event.id }, 'webhook event could not be applied');
      ctx.metrics.webhooks.events.inc({ kind: 'event', result: 'failed' });
      await markFailed(tx.sql, event.id, String((error as Error).message ?? error));
    }
    return true;
  });
  if (outcome) record(ctx, outcome);
  return found;
}

function parseStored(event: StoredEvent): Parsed {
  const json: unknown = JSON.parse(event.body);
  if (event.source === 'chat-api')
    return { source: 'chat-api', body: WebhookBody.parse(json), senderId: event.senderId };
  const parsed = parseCloudApiWebhook(json);
  if (!parsed.ok) throw new Error(`not a Cloud API body: ${JSON.stringify(parsed.errors)}`);
  return { source: 'cloud-api', events: parsed.events };
}

async function applyBodies(ctx: AppContext, tx: Tx, bodies: Parsed[]): Promise<Outcome> {
  const messages: MessageResult[] = [];
  const acks: WebhookAck[] = [];
  const cloud: CloudApiEvent[] = [];
  for (const parsed of bodies) {
    if (parsed.source === 'cloud-api') {
      cloud.push(...parsed.events);
      continue;
    }
    const { body, senderId } = parsed;
    for (const message of body.messages ?? [])
      messages.push(await applyMessage(ctx, tx.sql, message, senderId));
    acks.push(...(body.ack ?? []));
  }
  return {
    acks: await applyAcks(tx.sql, acks),
    messages,
    cloud: cloud.length > 0 ? await applyCloudEvents(ctx, tx, cloud) : undefined,
  };
}

/** Counted after the commit, so that a rolled-back batch counts nothing. */
function record(ctx: AppContext, outcome: Outcome): void {
  const { events } = ctx.metrics.webhooks;
  const { cloud } = outcome;
  recordAcks(ctx, outcome.acks);
  for (const result of outcome.messages) events.inc({ kind: 'message', result });
  if (!cloud) return;
  recordAcks(ctx, cloud.acks);
  for (const result of cloud.messages) events.inc({ kind: 'message', result });
  const { failures } = cloud;
  if (failures.failed) events.inc({ kind: 'ack', result: 'failed' }, failures.failed);
  if (failures.heldOut) events.inc({ kind: 'ack', result: 'held_out' }, failures.heldOut);
  if (failures.optedOut) events.inc({ kind: 'ack', result: 'opt_out' }, failures.optedOut);
  if (failures.unknownIds.length) {
    events.inc({ kind: 'ack', result: 'unknown_id' }, failures.unknownIds.length);
    recordUnknownIds(ctx, failures.unknownIds);
  }
  for (const result of cloud.templates) events.inc({ kind: 'template', result });
  for (const { campaignIds, reason } of cloud.paused) {
    for (const campaignId of campaignIds)
      ctx.logger.warn({ campaignId, reason }, 'campaign paused');
  }
  if (cloud.unknownSender.count) {
    events.inc({ kind: 'event', result: 'unknown_sender' }, cloud.unknownSender.count);
    ctx.logger.warn(
      { count: cloud.unknownSender.count, ids: cloud.unknownSender.ids },
      'Cloud API webhook events for a number or business account of no sender: stored, not applied',
    );
  }
}

function recordAcks(ctx: AppContext, acks: AckCounts): void {
  const { events } = ctx.metrics.webhooks;
  if (acks.applied) events.inc({ kind: 'ack', result: 'applied' }, acks.applied);
  if (acks.duplicate) events.inc({ kind: 'ack', result: 'duplicate' }, acks.duplicate);
  if (acks.ignored) events.inc({ kind: 'ack', result: 'ignored' }, acks.ignored);
  if (acks.unknownId) {
    events.inc({ kind: 'ack', result: 'unknown_id' }, acks.unknownId);
    recordUnknownIds(ctx, acks.unknownIds);
  }
}

function recordUnknownIds(ctx: AppContext, ids: string[]): void {
  if (ids.length === 0) return;
  ctx.logger.info(
    { count: ids.length, ids: ids.slice(0, 10) },
    'acks for message ids this service does not know',
  );
}
