import { senders } from '../db/schema';
import type { Sender } from './schemas';

/** What a sender's answer reads: every column but the credentials, which are never answered. */
export const senderColumns = {
  id: senders.id,
  name: senders.name,
  provider: senders.provider,
  isDefault: senders.isDefault,
  ratePerSecond: senders.ratePerSecond,
  messagingLimit24h: senders.messagingLimit24h,
  status: senders.status,
  statusReason: senders.statusReason,
  phoneNumberId: senders.phoneNumberId,
  displayPhoneNumber: senders.displayPhoneNumber,
  businessAccountId: senders.businessAccountId,
  createdAt: senders.createdAt,
  updatedAt: senders.updatedAt,
};

export type SenderRow = Omit<typeof senders.$inferSelect, 'credentials' | 'deletedAt'>;

export function toSender(row: SenderRow): Sender {
  return {
    ...row,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
