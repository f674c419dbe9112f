import type postgres from 'postgres';
import { ackRank, type WebhookAck } from './event-schema';

export type AckCounts = {
  applied: number;
  duplicate: number;
  unknownId: number;
  ignored: number;
  unknownIds: string[];
};

/**
 * Applies acks, all in one statement, moving messages forward only: pending, sending and
 * unknown (rank 0) → sent (1) → delivered (2) → read (3). Several acks of one message collapse
 * to the highest first, so their order does not matter; a `read` sets `delivered_at` too. The
 * rank test is on `m.status` inside the UPDATE's WHERE, so that PostgreSQL re-checks it against
 * a row another transaction has just moved (a rank computed in a CTE would be stale there and
 * could move a message back). failed, skipped and expired rows are left alone.
 */
export async function applyAcks(
  tx: postgres.TransactionSql,
  acks: WebhookAck[],
): Promise<AckCounts> {
  const highest = new Map<string, number>();
  let ignored = 0;
  for (const ack of acks) {
    const rank = ackRank(ack.status);
    if (rank === undefined) {
      ignored++;
      continue;
    }
    highest.set(ack.id, Math.max(highest.get(ack.id) ?? 0, rank));
  }
  if (highest.size === 0)
    return { applied: 0, duplicate: 0, unknownId: 0, ignored, unknownIds: [] };
  const ids = [...highest.keys()];
  const ranks = [...highest.values()];
  const [row] = await tx<{ applied: number; matched: number; unknown_ids: string[] }[]>`
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
            where not exists (select 1 from messages m where m.provider_message_id = a.id)) as unknown_ids`;
  if (!row) throw new Error('the ack statement returned no row');
  const unknownId = ids.length - row.matched;
  return {
    applied: row.applied,
    // acks of known messages that moved nothing, plus repeats of one id within the batch
    duplicate: acks.length - ignored - row.applied - unknownId,
    unknownId,
    ignored,
    unknownIds: row.unknown_ids,
  };
}
