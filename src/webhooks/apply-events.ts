import type postgres from 'postgres';
import type { AppContext } from '../context';
import { isTransient } from '../db/transient';
import { type AckCounts, applyAcks } from './apply-acks';
import { applyMessage, type MessageResult } from './apply-message';
import { type WebhookAck, WebhookBody } from './event-schema';
import { lockEvents, markFailed, markProcessed, type StoredEvent } from './queries';

export const APPLY_BATCH = 200;

type Outcome = { acks: AckCounts; messages: MessageResult[] };

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
    const result = await ctx.database.sql.begin(async (tx) => {
      const events = await lockEvents(tx, limit);
      if (events.length === 0) return { count: 0, outcome: undefined };
      const outcome = await applyBodies(ctx, tx, events.map(parseStored));
      await markProcessed(
        tx,
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
  const found = await ctx.database.sql.begin(async (tx) => {
    const [event] = await lockEvents(tx, 1);
    if (!event) return false;
    try {
      outcome = await tx.savepoint((sp) => applyBodies(ctx, sp, [parseStored(event)]));
      await markProcessed(tx, [event.id]);
    } catch (error) {
      if (isTransient(error)) throw error;
      ctx.logger.error({ err: error, eventId: event.id }, 'webhook event could not be applied');
      ctx.metrics.webhooks.events.inc({ kind: 'event', result: 'failed' });
      await markFailed(tx, event.id, String((error as Error).message ?? error));
    }
    return true;
  });
  if (outcome) record(ctx, outcome);
  return found;
}

function parseStored(event: StoredEvent): WebhookBody {
  return WebhookBody.parse(JSON.parse(event.body));
}

async function applyBodies(
  ctx: AppContext,
  tx: postgres.TransactionSql,
  bodies: WebhookBody[],
): Promise<Outcome> {
  const messages: MessageResult[] = [];
  const acks: WebhookAck[] = [];
  for (const body of bodies) {
    for (const message of body.messages ?? []) messages.push(await applyMessage(ctx, tx, message));
    acks.push(...(body.ack ?? []));
  }
  return { acks: await applyAcks(tx, acks), messages };
}

/** Counted after the commit, so that a rolled-back batch counts nothing. */
function record(ctx: AppContext, outcome: Outcome): void {
  const { events } = ctx.metrics.webhooks;
  const { acks } = outcome;
  if (acks.applied) events.inc({ kind: 'ack', result: 'applied' }, acks.applied);
  if (acks.duplicate) events.inc({ kind: 'ack', result: 'duplicate' }, acks.duplicate);
  if (acks.ignored) events.inc({ kind: 'ack', result: 'ignored' }, acks.ignored);
  if (acks.unknownId) {
    events.inc({ kind: 'ack', result: 'unknown_id' }, acks.unknownId);
    ctx.logger.info(
      { count: acks.unknownId, ids: acks.unknownIds.slice(0, 10) },
      'acks for message ids this service does not know',
    );
  }
  for (const result of outcome.messages) events.inc({ kind: 'message', result });
}
