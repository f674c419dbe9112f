import { z } from '@hono/zod-openapi';
import { optOutSource } from '../db/schema';

export const Contact = z
  .object({
    id: z.string(),
    phone: z.string().openapi({ example: '+79995253422' }),
    attributes: z.record(z.string(), z.string()),
    attributesOmitted: z.literal(true).optional().openapi({
      description:
        'present when the stored attributes are larger than LIST_PAGE_MAX_BYTES: they are left out',
    }),
    optedOut: z.boolean(),
    optedOutAt: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi('Contact');
export type Contact = z.infer<typeof Contact>;

export const OptOut = z
  .object({
    phone: z.string(),
    contactId: z.string().nullable(),
    optedOutAt: z.string(),
    source: z.enum(optOutSource.enumValues),
  })
  .openapi('OptOut');
export type OptOut = z.infer<typeof OptOut>;

export const CreateOptOut = z.object({ phone: z.string().min(1).max(64) }).openapi('CreateOptOut');
