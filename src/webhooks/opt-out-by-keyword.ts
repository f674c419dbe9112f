import type postgres from 'postgres';
import { insertOptOut, type KeywordOptOut, skipPendingTo } from './message-queries';

/**
 * A stop keyword (docs/design.md, rule 19): the phone is opted out (source `keyword`, with the
 * campaign the reply was attributed to and its run, for stats), and every pending message to it
 * is skipped: template rows of active runs (looked up by run and contact on
 * messages_run_contact_kind_uq, not by a scan of all messages) and follow-up or manual rows (the
 * small messages_pending_direct_idx). An existing opt-out is kept as it was. Later runs leave
 * the phone out: the snapshot excludes opt_outs. The Cloud API's "stopped marketing messages"
 * (131050) opts out the same way, with source `provider`.
 */
export async function optOutByKeyword(
  tx: postgres.TransactionSql,
  target: KeywordOptOut,
  source: 'keyword' | 'provider' = 'keyword',
): Promise<number> {
  await insertOptOut(tx, target, source);
  return skipPendingTo(tx, target);
}
