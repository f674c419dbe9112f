import { z } from '@hono/zod-openapi';
import { optOutSource } from '../db/schema';
import { Page, PageQuery } from '../http/pagination';

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

export const ContactListEntry = z
  .object({
    id: z.string(),
    name: z.string(),
    addedAt: z.string().openapi({ description: 'when the contact joined the list' }),
  })
  .openapi('ContactListEntry');
export type ContactListEntry = z.infer<typeof ContactListEntry>;

export const ContactSearchQuery = PageQuery.extend({
  q: z.string().trim().min(1).max(100).openapi({
    description:
      'digits of the phone (`5001`, `+49 151…`, `0151…`), or text within any attribute value, any case',
  }),
  listId: z.string().optional().openapi({ description: "only this list's contacts" }),
});

export const ContactSearchPage = Page(Contact)
  .extend({
    scanned: z.number().int().openapi({
      description:
        'contacts this page looked at (a bounded stretch): a page may hold fewer matches than its limit and still have a nextCursor',
    }),
  })
  .openapi('ContactSearchPage');
