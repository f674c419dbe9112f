import { z } from 'zod';

/**
 * The chat-api webhook bodies (docs/design.md, rule 25): `{messages: [...]}` and/or `{ack: [...]}`
 * with `instanceId` or `channelId`. Unknown fields are allowed (the provider adds fields over
 * time); what we read is typed strictly, so a wrong type is a 400 and nothing is stored.
 */

const MAX_ITEMS = 1000;
// Unix seconds up to the year 3000: a larger `time` is a broken sender, not a message.
const MAX_UNIX_SECONDS = 32_503_680_000;

const text = (max: number) => z.string().min(1).max(max);
// The provider's instance id, a string or a number: not read, stored with the body.
const instance = z.union([
  z.string().max(128),
  z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
]);

export const WebhookAck = z.looseObject({
  id: text(512),
  chatId: z.string().max(512).optional(),
  // Any string: a status we do not know yet (chat-api adds some) is stored and ignored, not
  // refused, or the provider would retry the whole body twenty times and then drop it.
  status: text(64),
});
export type WebhookAck = z.infer<typeof WebhookAck>;

export const WebhookMessage = z.looseObject({
  id: text(512),
  body: z.string().max(65_536).nullable().optional(),
  fromMe: z.union([z.boolean(), z.literal(0), z.literal(1)]),
  self: z.union([z.literal(0), z.literal(1), z.boolean()]).optional(),
  author: z.string().max(512).nullable().optional(),
  chatId: text(512),
  time: z.number().int().min(0).max(MAX_UNIX_SECONDS),
  type: z.string().max(64).optional(),
  senderName: z.string().max(1024).nullable().optional(),
  caption: z.string().max(65_536).nullable().optional(),
  quotedMsgId: z.string().max(512).nullable().optional(),
});
export type WebhookMessage = z.infer<typeof WebhookMessage>;

export const WebhookBody = z
  .looseObject({
    messages: z.array(WebhookMessage).max(MAX_ITEMS).optional(),
    ack: z.array(WebhookAck).max(MAX_ITEMS).optional(),
    instanceId: instance.optional(),
    channelId: instance.optional(),
  })
  .refine((body) => body.messages !== undefined || body.ack !== undefined, {
    message: 'a chat-api webhook body has "messages" or "ack"',
  });
export type WebhookBody = z.infer<typeof WebhookBody>;

/** `79995253422@c.us` → `+79995253422`; the sender of a group message is its `author`. */
export function phoneOfMessage(message: WebhookMessage): string | undefined {
  for (const id of [message.author, message.chatId]) {
    const match = /^(\d{6,15})@c\.us$/.exec(id ?? '');
    if (match) return `+${match[1]}`;
  }
  return undefined;
}

/** `viewed` (older API) and `read` (newer) mean the same. */
export function ackRank(status: string): 1 | 2 | 3 | undefined {
  switch (status) {
    case 'sent':
      return 1;
    case 'delivered':
      return 2;
    case 'viewed':
    case 'read':
      return 3;
    default:
      return undefined;
  }
}
