import { z } from '@hono/zod-openapi';
import { messageKind } from '../db/schema';
import { PageQuery } from '../http/pagination';

export const ConversationWindow = z
  .object({
    senderId: z.string(),
    senderName: z.string(),
    lastInboundAt: z.string(),
    windowExpiresAt: z.string(),
    open: z.boolean(),
  })
  .openapi('ConversationWindow');

export const Conversation = z
  .object({
    phone: z.string(),
    contactId: z.string().nullable(),
    lastInboundAt: z.string(),
    windowExpiresAt: z.string(),
    open: z.boolean(),
    campaignId: z.string().nullable(),
    lastInboundText: z
      .string()
      .nullable()
      .openapi({ description: "The text of the customer's latest message (null for media)" }),
    contactName: z.string().nullable().openapi({
      description:
        "From the contact's attributes: name, full_name or contact_name, else first_name and last_name (case and separators ignored); null without such a column",
    }),
    unreadCount: z.number().int().openapi({
      description:
        "The customer's messages since the last message that went to the phone (ours, or one typed in the WhatsApp app)",
    }),
    optedOut: z.boolean().openapi({
      description: 'The phone is opted out now: nothing is sent to it, free-form messages included',
    }),
    windows: z.array(ConversationWindow).openapi({
      description:
        "The phone's window with each sending number it wrote to, the latest-closing first: a free-form message goes through a sender whose window is open. `windowExpiresAt` above is the first one's.",
    }),
  })
  .openapi('Conversation');
export type Conversation = z.infer<typeof Conversation>;

export const ConversationQuery = PageQuery.extend({
  open: z
    .enum(['true', 'false'])
    .optional()
    .openapi({ description: 'true: only phones whose window is open now' }),
});

export const ConversationMessage = z
  .object({
    id: z.string().openapi({
      description: 'The Message id for our messages; `chat-<n>` for one recorded from the chat',
    }),
    direction: z.enum(['in', 'out']),
    kind: z.enum(['inbound', ...messageKind.enumValues]).openapi({
      description:
        "`manual`: a free-form message, or one typed in the WhatsApp app on the business's phone",
    }),
    text: z.string().nullable(),
    templateName: z.string().nullable(),
    parameters: z
      .array(z.string())
      .nullable()
      .openapi({ description: "A template's rendered body parameters, in order" }),
    status: z.string().nullable().openapi({ description: 'Our messages only: the Message status' }),
    error: z.string().nullable(),
    at: z.string().openapi({
      description: 'When it was written (chat) or sent (ours); a message not sent yet: when queued',
    }),
    campaignId: z.string().nullable(),
  })
  .openapi('ConversationMessage');
export type ConversationMessage = z.infer<typeof ConversationMessage>;

export const PhoneParam = z.object({
  phone: z.string().openapi({
    param: { name: 'phone', in: 'path' },
    description: 'E.164 (`+4915…`, the `+` may be left out or sent as %2B)',
  }),
});
