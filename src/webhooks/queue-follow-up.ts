import type postgres from 'postgres';
import type { Logger } from '../logger';
import { textMessageProblem } from '../templates/provider-rules';
import { renderParameters } from '../templates/render';
import {
  type Attribution,
  followUpSource,
  insertFollowUp,
  type ReplyWindow,
} from './message-queries';

/**
 * docs/design.md, rule 18: a reply attributed to a run's template queues that campaign's
 * follow-up for the contact: a `followup` message row, `pending`, rendered now, sent through the
 * sender the customer wrote to and expiring with that sender's window (rule 34). The dispatcher sends it ahead of template traffic and expires it when the
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
  window: ReplyWindow,
): Promise<string | undefined> {
  if (message.kind !== 'template' || !message.runId || !message.contactId) return undefined;
  const campaign = await followUpSource(tx, message, phone);
  if (!campaign?.followUpBody || campaign.optedOut || campaign.status === 'cancelled')
    return undefined;
  const log = logger.child({
    campaignId: message.campaignId,
    runId: message.runId,
    contactId: message.contactId,
  });
  let body: string;
  try {
    const attributes = campaign.attributes ?? {};
    const rendered = renderParameters([campaign.followUpBody], attributes, textMessageProblem);
    if (!rendered.ok || rendered.params[0] === undefined) {
      log.warn({ reason: rendered.ok ? 'empty' : rendered.reason }, 'follow-up not queued');
      return undefined;
    }
    body = rendered.params[0];
  } catch (error) {
    log.warn({ err: error }, 'follow-up not queued: its body does not render');
    return undefined;
  }
  const row = await insertFollowUp(tx, message, phone, body, window);
  if (row) log.info({ messageId: row.id, status: row.status }, 'follow-up queued');
  return row?.id;
}
