import { z } from '@hono/zod-openapi';
import { messageKind, messageStatus, type messages } from '../db/schema';

/**
 * The Message (docs/design.md, rule 12); stats and exports show message rows through this one
 * shape too.
 */
export const Message = z
  .object({
    id: z.string(),
    runId: z.string().nullable(),
    contactId: z.string().nullable(),
    phone: z.string(),
    kind: z.enum(messageKind.enumValues),
    status: z.enum(messageStatus.enumValues),
    providerMessageId: z.string().nullable(),
    error: z.string().nullable(),
    attempts: z.number().int(),
    sentAt: z.string().nullable(),
    deliveredAt: z.string().nullable(),
    readAt: z.string().nullable(),
    repliedAt: z.string().nullable(),
    senderId: z.string().nullable().openapi({
      description:
        'The sending number it went (or goes) through; null for rows from before senders.',
    }),
    errorCode: z.number().int().nullable().openapi({
      description: "The provider's error code of its failure (Meta's, e.g. 131049), if any.",
    }),
    errorTitle: z
      .string()
      .nullable()
      .openapi({ description: "The provider's title of that error." }),
    pricingCategory: z.string().nullable().openapi({
      description: "Meta's pricing category of the message (marketing, utility…), once reported.",
    }),
    billable: z.boolean().nullable().openapi({
      description: 'Whether Meta charges it, once reported; null when no pricing was reported.',
    }),
    notBefore: z.string().nullable().openapi({
      description:
        "While `pending`, when it may be sent at the earliest (its recipient's send window opening, a local-time schedule, a retry's wait); null when it may go now or is no longer pending.",
    }),
    timeZone: z.string().nullable().openapi({
      description:
        "The recipient's time zone its send window and local-time schedule were read in (docs/design.md, rule 37); null when the campaign has neither.",
    }),
  })
  .openapi('Message');
export type Message = z.infer<typeof Message>;

export type MessageRow = typeof messages.$inferSelect;

const iso = (date: Date | null) => date?.toISOString() ?? null;

export function toMessageJson(row: MessageRow): Message {
  return {
    id: String(row.id),
    runId: row.runId,
    contactId: row.contactId,
    phone: row.phone,
    kind: row.kind,
    status: row.status,
    providerMessageId: row.providerMessageId,
    error: row.error,
    attempts: row.attempts,
    sentAt: iso(row.sentAt),
    deliveredAt: iso(row.deliveredAt),
    readAt: iso(row.readAt),
    repliedAt: iso(row.repliedAt),
    senderId: row.senderId,
    errorCode: row.errorCode,
    errorTitle: row.errorTitle,
    pricingCategory: row.pricingCategory,
    billable: row.billable,
    notBefore:
      row.status === 'pending' && row.nextAttemptAt && row.nextAttemptAt > new Date()
        ? row.nextAttemptAt.toISOString()
        : null,
    timeZone: row.timeZone,
  };
}
