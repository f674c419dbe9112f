import { z } from 'zod';

/**
 * Meta's webhook bodies for WhatsApp (docs/providers.md, Webhooks), as far as the service reads
 * them. Unknown fields are allowed (Meta adds fields over time); what is read is typed and
 * bounded, so a body past a bound is refused whole and nothing of it is stored.
 */

/** Entries one body may carry, and changes one entry may carry. */
export const MAX_ENTRIES = 100;
export const MAX_CHANGES = 100;
/** Statuses, messages or contacts one change may carry. */
export const MAX_ITEMS = 1000;
/** Events one body may yield in all (its entries' changes' items together). */
export const MAX_EVENTS = 10_000;
/** Longest text of an inbound message read: WhatsApp lets a user write 65,536 characters. */
export const MAX_TEXT_CHARS = 65_536;
// Unix seconds up to the year 3000: a larger timestamp is a broken sender, not a message.
const MAX_UNIX_SECONDS = 32_503_680_000;

const text = (max: number) => z.string().min(1).max(max);
const optional = (max: number) => z.string().max(max).optional();
// Meta writes timestamps as strings of unix seconds ("1764072000"); a number is taken too.
const unixSeconds = z
  .union([z.string().regex(/^\d{1,11}$/), z.number().int().nonnegative()])
  .transform(Number)
  .refine((seconds) => seconds <= MAX_UNIX_SECONDS, 'must be a unix time before the year 3000');
// A phone as Meta writes it: digits with the country code, no `+`.
const waId = z.string().regex(/^\d{1,20}$/, 'must be the digits of a phone');
// A business-scoped user id: `US.13491208655302741918`, or a parent one `US.ENT.…`.
const userId = text(160);
const id = z.union([text(64), z.number().int().nonnegative()]).transform(String);

export const CloudStatus = z.looseObject({
  id: text(512),
  // Any string: a status we do not know (Meta adds some) is counted and ignored, not refused,
  // or Meta would retry the whole body for days.
  status: text(64),
  timestamp: unixSeconds,
  recipient_id: waId.optional(),
  recipient_user_id: userId.optional(),
  pricing: z
    .looseObject({
      billable: z.boolean().optional(),
      category: optional(64),
      type: optional(64),
      pricing_model: optional(64),
    })
    .optional(),
  errors: z
    .array(
      z.looseObject({ code: z.number().int(), title: optional(1024), message: optional(1024) }),
    )
    .max(16)
    .optional(),
});

const reply = z.looseObject({ id: optional(4096), title: optional(4096) });

export const CloudInbound = z.looseObject({
  from: waId.optional(),
  from_user_id: userId.optional(),
  id: text(512),
  timestamp: unixSeconds,
  type: text(64),
  text: z.looseObject({ body: z.string().max(MAX_TEXT_CHARS) }).optional(),
  button: z.looseObject({ payload: optional(4096), text: optional(4096) }).optional(),
  interactive: z
    .looseObject({
      type: optional(64),
      button_reply: reply.optional(),
      list_reply: reply.optional(),
    })
    .optional(),
  context: z.looseObject({ id: optional(512) }).optional(),
});

export const CloudContact = z.looseObject({
  wa_id: waId.optional(),
  user_id: userId.optional(),
  profile: z.looseObject({ name: optional(1024), username: optional(1024) }).optional(),
});

export const MessagesValue = z.looseObject({
  metadata: z.looseObject({ phone_number_id: text(64) }),
  statuses: z.array(CloudStatus).max(MAX_ITEMS).optional(),
  messages: z.array(CloudInbound).max(MAX_ITEMS).optional(),
  contacts: z.array(CloudContact).max(MAX_ITEMS).optional(),
});

export const TemplateStatusValue = z.looseObject({
  event: text(64),
  message_template_id: id,
  message_template_name: text(512),
  message_template_language: text(32),
  reason: z.string().max(1024).nullable().optional(),
});

export const TemplateQualityValue = z.looseObject({
  previous_quality_score: optional(32),
  new_quality_score: text(32),
  message_template_id: id.optional(),
  message_template_name: text(512),
  message_template_language: text(32),
});

export const CloudEnvelope = z.looseObject({
  object: z.literal('whatsapp_business_account'),
  entry: z
    .array(
      z.looseObject({
        id: text(64),
        changes: z.array(z.looseObject({ field: text(128), value: z.unknown() })).max(MAX_CHANGES),
      }),
    )
    .max(MAX_ENTRIES),
});
