/**
 * The Stats figures of API.md as SQL over `messages m`: one text shared by the campaign stats
 * query and the `run_stats` view, so that the endpoint and the view cannot drift apart. Every
 * figure is a recount of message rows; nothing is kept as a counter.
 *
 * - audience: template rows (skipped ones too: they were in the snapshot);
 * - sent: accepted by the provider, i.e. sent, delivered or read (acks only move rows forward);
 * - replied: distinct phones whose template row carries an attributed reply;
 * - followUpsSent: follow-up rows the provider accepted.
 */
export const figuresSql = `
  count(*) filter (where m.kind = 'template')::int as audience,
  count(*) filter (where m.kind = 'template' and m.status in ('pending', 'sending'))::int as pending,
  count(*) filter (where m.kind = 'template' and m.status in ('sent', 'delivered', 'read'))::int as sent,
  count(*) filter (where m.kind = 'template' and m.status in ('delivered', 'read'))::int as delivered,
  count(*) filter (where m.kind = 'template' and m.status = 'read')::int as read,
  count(*) filter (where m.kind = 'template' and m.status = 'failed')::int as failed,
  count(*) filter (where m.kind = 'template' and m.status = 'skipped')::int as skipped,
  count(*) filter (where m.kind = 'template' and m.status = 'unknown')::int as unknown,
  count(distinct m.phone) filter (where m.kind = 'template' and m.replied_at is not null)::int as replied,
  count(*) filter (where m.kind = 'followup' and m.status in ('sent', 'delivered', 'read'))::int as follow_ups_sent`;

/** Rates over `sent`, 0 when nothing was sent; the view and the endpoint divide alike. */
export const rateSql = (figure: string, sent = 'sent') =>
  `(case when ${sent} = 0 then 0 else ${figure}::float8 / ${sent} end)`;
