import type postgres from 'postgres';
import { ackRank, type WebhookAck } from './event-schema';
import { applyAckRanks } from './queries';

export type AckCounts = {
  applied: number;
  duplicate: number;
  unknownId: number;
  ignored: number;
  unknownIds: string[];
};

/**
 * Applies acks, all in one statement (applyAckRanks), moving messages forward only: pending,
 * sending and unknown (rank 0) → sent (1) → delivered (2) → read (3). Several acks of one
 * message collapse to the highest first, so their order does not matter; a `read` sets
 * `delivered_at` too.
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
  const row = await applyAckRanks(tx, ids, [...highest.values()]);
  const unknownId = ids.length - row.matched;
  return {
    applied: row.applied,
    // acks of known messages that moved nothing, plus repeats of one id within the batch
    duplicate: acks.length - ignored - row.applied - unknownId,
    unknownId,
    ignored,
    unknownIds: row.unknownIds,
  };
}
