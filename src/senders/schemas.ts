import { z } from '@hono/zod-openapi';
import {
  MESSAGING_LIMIT_MAX,
  SENDER_RATE_BOUNDS,
  senderProvider,
  senderStatus,
} from '../db/schema';
import { Page } from '../http/pagination';

const name = z.string().trim().min(1).max(200);
const RATE_WORDS = `must be from ${SENDER_RATE_BOUNDS.min} to ${SENDER_RATE_BOUNDS.max.toLocaleString('en')} messages a second`;
const RatePerSecond = z
  .number()
  .min(SENDER_RATE_BOUNDS.min, RATE_WORDS)
  .max(SENDER_RATE_BOUNDS.max, RATE_WORDS)
  .openapi({ description: 'the most sends a second through this number (20 unless given)' });
const MessagingLimit = z.number().int().min(1).max(MESSAGING_LIMIT_MAX).nullable().openapi({
  description:
    'the most distinct phones sent a template in any rolling 24 hours (Meta’s messaging tier); null: no limit',
});
const DisplayPhoneNumber = z.string().trim().min(1).max(32).openapi({
  description: 'the number as people read it, e.g. +1 555-0100',
  example: '+1 555-0100',
});

/** A secret of a provider: written, never read back. */
const secret = (max: number) => z.string().min(1).max(max);
const metaId = z.string().regex(/^[0-9]{1,64}$/, "must be Meta's numeric id");

export const ChatApiCredentials = z
  .strictObject({
    url: z
      .url({ protocol: /^https?$/, error: 'must be an http or https URL' })
      .max(2048)
      .openapi({
        description: "the gateway's instance URL",
        example: 'https://api.chat-api.com/instance777',
      }),
    token: secret(1024),
    webhookSecret: secret(256).optional(),
  })
  .openapi('ChatApiCredentials');
export type ChatApiCredentials = z.infer<typeof ChatApiCredentials>;

export const CloudApiCredentials = z
  .strictObject({
    phoneNumberId: metaId,
    businessAccountId: metaId,
    accessToken: secret(4096),
    appSecret: secret(256),
    verifyToken: secret(256),
  })
  .openapi('CloudApiCredentials');
export type CloudApiCredentials = z.infer<typeof CloudApiCredentials>;

/** What a sender's provider needs to send, by provider; the sandbox needs nothing. */
export type SenderCredentials =
  | { provider: 'chat-api'; credentials: ChatApiCredentials }
  | { provider: 'cloud-api'; credentials: CloudApiCredentials }
  | { provider: 'sandbox'; credentials: null };

export const SenderProvider = z.enum(senderProvider.enumValues);
export type SenderProvider = z.infer<typeof SenderProvider>;

/**
 * Credentials are checked against the provider's own schema in the verb (credentialsProblem),
 * so that a 422 names `credentials.<field>` of that provider; here they are any object.
 */
const AnyCredentials = z.record(z.string(), z.unknown()).openapi({
  description:
    'chat-api: ChatApiCredentials; cloud-api: CloudApiCredentials; sandbox: none. Write-only: never answered.',
  oneOf: [
    { $ref: '#/components/schemas/ChatApiCredentials' },
    { $ref: '#/components/schemas/CloudApiCredentials' },
  ],
});

export const CreateSender = z
  .strictObject({
    name,
    provider: SenderProvider,
    ratePerSecond: RatePerSecond.optional(),
    messagingLimit24h: MessagingLimit.optional(),
    displayPhoneNumber: DisplayPhoneNumber.optional(),
    credentials: AnyCredentials.optional(),
  })
  .openapi('CreateSender');
export type CreateSender = z.infer<typeof CreateSender>;

/** Strict: a field this cannot change (`provider`, `isDefault`) is refused, not dropped. */
export const UpdateSender = z
  .strictObject({
    name: name.optional(),
    ratePerSecond: RatePerSecond.optional(),
    messagingLimit24h: MessagingLimit.optional(),
    displayPhoneNumber: DisplayPhoneNumber.nullable().optional(),
    status: z.enum(['active', 'paused']).optional().openapi({
      description: 'paused: nothing is sent through it until it is active again',
    }),
    credentials: AnyCredentials.optional().openapi({
      description:
        "the whole set, replacing the stored one (an auth_failed sender becomes active); not the default sender's, which come from the environment",
    }),
  })
  .openapi('UpdateSender');
export type UpdateSender = z.infer<typeof UpdateSender>;

export const Sender = z
  .object({
    id: z.string(),
    name: z.string(),
    provider: SenderProvider,
    isDefault: z.boolean().openapi({
      description:
        'the sender of the environment (CHAT_API_*, WHATSAPP_*); campaigns take it unless they name one',
    }),
    ratePerSecond: z.number(),
    messagingLimit24h: z.number().int().nullable(),
    status: z.enum(senderStatus.enumValues),
    statusReason: z.string().nullable().openapi({ description: 'why it is paused or auth_failed' }),
    phoneNumberId: z.string().nullable(),
    displayPhoneNumber: z.string().nullable(),
    businessAccountId: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Sender');
export type Sender = z.infer<typeof Sender>;

export const SenderPage = Page(Sender).openapi('SenderPage');
export type SenderPage = z.infer<typeof SenderPage>;
