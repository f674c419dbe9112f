import type postgres from 'postgres';
import type { Sql } from '../db/client';
import type { RawRow } from '../db/raw-row';
import type { webhookEvents } from '../db/schema';

/**
 * The webhook's SQL. Raw, being its hot path (some 3,900 requests a second on the webhook
 * benchmark): bodies are stored by group commit, a batch in one unnest, and a batch's acks are
 * applied in one statement, neither of which the builder says. Applying a message runs in the
 * same transaction, so its statements are raw too: message-queries.ts.
 */

type Tx = postgres.TransactionSql;

/** A stored event, its id, origin and body as text (the body is parsed and checked by the caller). */
export type StoredEvent = Pick<RawRow<typeof webhookEvents>, 'id'> & EventOrigin & { body: string };

/** Whose webhook a body came to: its format, and the sender it is for (null: the default one). */
export type EventOrigin = Pick<RawRow<typeof webhookEvents>, 'source' | 'senderId'>;

/** Stores raw webhook bodies, one row each: text cast to jsonb here (see db/client.ts). */
export async function insertEvents(
  sql: Sql,
  events: ({ text: string } & EventOrigin)[],
): Promise<void> {
  await sql`
    insert into webhook_events (body, source, sender_id)
    select b::jsonb, s, i from unnest(
      ${events.map((e) => e.text)}::text[],
      ${events.map((e) => e.source)}::text[],
      ${events.map((e) => e.senderId)}::uuid[]) as e(b, s, i)`;
}

/** The oldest events no one applied yet, locked; others' locked ones are skipped. */
export function lockEvents(tx: Tx, limit: number) {
  // webhook_events_unprocessed_idx
  return tx<StoredEvent[]>`
    select id::text, source, sender_id as "senderId", body::text from webhook_events
    where processed_at is null
    order by id
    limit ${limit}
    for update skip locked`;
}

export async function markProcessed(tx: Tx, ids: string[]): Promise<void> {
  await tx`update webhook_events set processed_at = now() where id = any(${ids}::bigint[])`;
}

/** An event that could not be applied: processed, with why, for an operator to look at. */
export async function markFailed(tx: Tx, id: string, error: string): Promise<void> {
  await tx`update webhook_events set processed_at = now(), error = ${error} where id = ${id}`;
}

/**
 * Deletes up to `batch` events applied without error that were received more than
 * `retentionDays` ago (see pruneWebhookEvents); answers how many.
 */
export async function deleteAppliedEvents(
  sql: Sql,
  retentionDays: number,
  batch: number,
): Promise<number> {
  const deleted = await sql`
    delete from webhook_events where id in (
      select id from webhook_events
      where id < coalesce(
          (select min(id) from webhook_events
            where received_at >= now() - make_interval(days => ${retentionDays})),
          9223372036854775807)
        and processed_at is not null and error is null
      order by id
      limit ${batch}
      for update skip locked)`;
  return deleted.count;
}

/**
 * Moves the messages of provider ids `ids` forward to ranks `ranks` (1 sent, 2 delivered,
 * 3 read; see applyAcks), in one statement. The rank test is on `m.status` inside the UPDATE's
 * WHERE, so that PostgreSQL re-checks it against a row another transaction has just moved (a
 * rank computed in a CTE would be stale there and could move a message back). failed, skipped
 * and expired rows are left alone. Answers the messages moved, the acks whose id matched a
 * message, and the ids that matched none.
 */
export async function applyAckRanks(tx: Tx, ids: string[], ranks: number[]) {
  const [row] = await tx<{ applied: number; matched: number; unknownIds: string[] }[]>`
    with a as (
      select * from unnest(${ids}::text[], ${ranks}::int[]) as a(id, rank)
    ), upd as (
      update messages m set
        status = (case a.rank when 1 then 'sent' when 2 then 'delivered' else 'read' end)::message_status,
        sent_at = coalesce(m.sent_at, now()),
        delivered_at = case when a.rank >= 2 then coalesce(m.delivered_at, now()) else m.delivered_at end,
        read_at = case when a.rank >= 3 then coalesce(m.read_at, now()) else m.read_at end,
        -- an ack proves that a send whose outcome was unknown reached the provider
        error = case when m.status = 'unknown' then null else m.error end,
        updated_at = now()
      from a
      where m.provider_message_id = a.id
        and (case m.status
              when 'pending' then 0 when 'sending' then 0 when 'unknown' then 0
              when 'sent' then 1 when 'delivered' then 2 when 'read' then 3 end) < a.rank
      returning 1
    )
    select
      (select count(*) from upd)::int as applied,
      (select count(*) from a join messages m on m.provider_message_id = a.id)::int as matched,
      array(select a.id from a
            where not exists (select 1 from messages m where m.provider_message_id = a.id)) as "unknownIds"`;
  if (!row) throw new Error('the ack statement returned no row');
  return row;
}
