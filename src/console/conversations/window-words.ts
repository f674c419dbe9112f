import type { Conversation } from '../../conversations/schemas';
import { formatDateTime, formatSpan } from '../ui/format';

/**
 * The conversation window in words (docs/design.md, rule 16): a customer's message opens it for
 * 24 hours, and only inside it may the business write freely.
 */

/** `closes in 3 h`, `closes in 12 min`, `closed 2 h ago`. */
export function windowLeft(windowExpiresAt: string, now = new Date()): string {
  const seconds = (Date.parse(windowExpiresAt) - now.getTime()) / 1000;
  if (seconds > 0) return `closes in ${formatSpan(seconds)}`;
  return `closed ${formatSpan(-seconds)} ago`;
}

/** Why the reply box is closed, in a sentence a marketer can act on; null when it is open. */
export function whyNoReply(
  conversation: Conversation | undefined,
  zone: string,
  now = new Date(),
): string | null {
  if (conversation?.optedOut)
    return 'This customer has opted out: nothing can be sent to them, not even a reply, until an admin opts them back in.';
  if (!conversation)
    return 'This customer has never written to you, so there is no conversation window: WhatsApp only lets you send them an approved template, in a campaign.';
  if (Date.parse(conversation.windowExpiresAt) > now.getTime()) return null;
  const closed = `${formatDateTime(conversation.windowExpiresAt, zone, now)} ${zone}`;
  return `The 24-hour window closed on ${closed}: WhatsApp only lets you send an approved template now, in a campaign. The window opens again for 24 hours when the customer writes to you.`;
}
