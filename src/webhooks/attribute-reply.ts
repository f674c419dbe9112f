import type postgres from 'postgres';
import {
  type Attribution,
  campaignMessageByProviderId,
  latestTemplateSentTo,
} from './message-queries';

/**
 * docs/design.md, rule 17: the campaign message the reply quotes, else the latest template sent to
 * the phone, both through the sender the customer wrote to (rule 34), within REPLY_ATTRIBUTION_HOURS before the reply's own time (the provider's clock,
 * so that a webhook retried hours later attributes as it would have on time), and not after it
 * (but for 10 minutes of clock skew between the provider and us). A quoted message
 * of no campaign (a manual message) falls through to the latest template.
 */
export async function attributeReply(
  tx: postgres.TransactionSql,
  reply: {
    phone: string;
    time: number;
    quotedMsgId: string | null | undefined;
    senderId: string | null;
  },
  attributionHours: number,
): Promise<Attribution | undefined> {
  if (reply.quotedMsgId) {
    const quoted = await campaignMessageByProviderId(tx, reply.quotedMsgId, reply.senderId);
    if (quoted) return quoted;
  }
  return latestTemplateSentTo(tx, reply, attributionHours);
}
