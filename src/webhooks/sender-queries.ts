import { and, eq, inArray, isNull } from 'drizzle-orm';
import { senders } from '../db/schema';
import type { Builder } from '../db/transaction';

/**
 * The senders a webhook can be for (chat-api and cloud-api, not deleted), with what their
 * credentials are opened from (senderCredentials). A handful of rows: read whole.
 */
export function webhookSenderRows(db: Builder) {
  return db
    .select({
      id: senders.id,
      provider: senders.provider,
      isDefault: senders.isDefault,
      credentials: senders.credentials,
      phoneNumberId: senders.phoneNumberId,
      businessAccountId: senders.businessAccountId,
    })
    .from(senders)
    .where(and(isNull(senders.deletedAt), inArray(senders.provider, ['chat-api', 'cloud-api'])));
}

export type WebhookSenderRow = Awaited<ReturnType<typeof webhookSenderRows>>[number];

/**
 * Every Cloud API sender, deleted ones too (a deleted number's last statuses still count), by
 * what routes Meta's entries to it: its number, and its business account.
 */
export function cloudApiSenderRoutes(db: Builder) {
  return db
    .select({
      id: senders.id,
      phoneNumberId: senders.phoneNumberId,
      businessAccountId: senders.businessAccountId,
    })
    .from(senders)
    .where(eq(senders.provider, 'cloud-api'));
}
