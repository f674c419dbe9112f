import type postgres from 'postgres';

/**
 * A stop keyword (docs/design.md, rule 19): the phone is opted out (source `keyword`, with the
 * campaign the reply was attributed to and its run, for stats), and every pending message to it
 * is skipped: template rows of active runs (looked up by run and contact on
 * messages_run_contact_kind_uq, not by a scan of all messages) and follow-up or manual rows (the
 * small messages_pending_direct_idx). An existing opt-out is kept as it was. Later runs leave
 * the phone out: the snapshot excludes opt_outs.
 */
export async function optOutByKeyword(
  tx: postgres.TransactionSql,
  target: {
    phone: string;
    contactId: string | null;
    campaignId: string | null;
    runId: string | null;
  },
): Promise<number> {
  await tx`
    insert into opt_outs (phone, contact_id, source, campaign_id, run_id)
    values (${target.phone}, ${target.contactId}, 'keyword', ${target.campaignId}, ${target.runId})
    on conflict (phone) do nothing`;
  const skipped = await tx`
    update messages set status = 'skipped', error = 'opted out', updated_at = now()
    where status = 'pending' and id in (
      select id from messages
      where status = 'pending' and kind <> 'template' and phone = ${target.phone}
      union all
      select m.id from runs r
      join messages m on m.run_id = r.id and m.contact_id = ${target.contactId}::uuid
      where r.status in ('running', 'paused') and m.status = 'pending'
    )`;
  return skipped.count;
}
