import type postgres from 'postgres';
import type { Logger } from '../logger';
import { textMessageProblem } from '../templates/provider-rules';
import { renderParameters } from '../templates/render';
import type { Attribution } from './attribute-reply';

/**
 * docs/design.md, rule 18: a reply attributed to a run's template queues that campaign's
 * follow-up for the contact: a `followup` message row, `pending`, rendered now, expiring with
 * the phone's window. The dispatcher sends it ahead of template traffic and expires it when the
 * window closes first.
 * The unique index (run_id, contact_id, kind) makes it once per run and contact, however many
 * replies or duplicate webhooks race. A window already closed (a reply delivered late) gives a
 * row created `expired`, so that the outcome stays visible. Opted-out phones get none, nor do
 * cancelled campaigns; a paused campaign's waits for its resume (claim.ts). A body that does not
 * render (a missing attribute, longer than WhatsApp takes) queues none: the log says why.
 */
export async function queueFollowUp(
  tx: postgres.TransactionSql,
  logger: Logger,
  message: Attribution,
  phone: string,
  windowExpiresAt: string,
): Promise<number | undefined> {
  if (message.kind !== 'template' || !message.run_id || !message.contact_id) return undefined;
  const [campaign] = await tx<
    {
      follow_up_body: string | null;
      status: string;
      attributes: string | null;
      opted_out: boolean;
    }[]
  >`
    select c.follow_up_body, c.status, ct.attributes::text as attributes,
      exists (select 1 from opt_outs o where o.phone = ${phone}) as opted_out
    from campaigns c left join contacts ct on ct.id = ${message.contact_id}
    where c.id = ${message.campaign_id}`;
  if (!campaign?.follow_up_body || campaign.opted_out || campaign.status === 'cancelled')
    return undefined;
  const log = logger.child({
    campaignId: message.campaign_id,
    runId: message.run_id,
    contactId: message.contact_id,
  });
  let body: string;
  try {
    const attributes = JSON.parse(campaign.attributes ?? '{}') as Record<string, string>;
    const rendered = renderParameters([campaign.follow_up_body], attributes, textMessageProblem);
    if (!rendered.ok || rendered.params[0] === undefined) {
      log.warn({ reason: rendered.ok ? 'empty' : rendered.reason }, 'follow-up not queued');
      return undefined;
    }
    body = rendered.params[0];
  } catch (error) {
    log.warn({ err: error }, 'follow-up not queued: its body does not render');
    return undefined;
  }
  const [row] = await tx<{ id: number; status: string }[]>`
    insert into messages (run_id, campaign_id, contact_id, phone, kind, status, body, expires_at, error)
    select ${message.run_id}::uuid, ${message.campaign_id}::uuid, ${message.contact_id}::uuid,
      ${phone}, 'followup', (case when open then 'pending' else 'expired' end)::message_status,
      ${body}, ${windowExpiresAt}::timestamptz,
      case when open then null else 'the conversation window closed before it could be sent' end
    from (select ${windowExpiresAt}::timestamptz > now() as open) w
    on conflict (run_id, contact_id, kind) do nothing
    returning id, status`;
  if (row) log.info({ messageId: row.id, status: row.status }, 'follow-up queued');
  return row?.id;
}
