import { z } from '@hono/zod-openapi';
import { isSupportedCountry } from 'libphonenumber-js/max';

/** A list id in a path: a malformed one is a 404 like an unknown one (API.md: ids are opaque). */
export const ListId = z.object({ listId: z.string() });

export const CreateList = z
  .object({ name: z.string().trim().min(1).max(200), description: z.string().max(2000).optional() })
  .openapi('CreateList');
export type CreateList = z.infer<typeof CreateList>;

export const List = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    contactCount: z.number().int(),
    createdAt: z.string(),
  })
  .openapi('List');
export type List = z.infer<typeof List>;

export const Contact = z
  .object({
    id: z.string(),
    phone: z.string().openapi({ example: '+79995253422' }),
    attributes: z.record(z.string(), z.string()),
    optedOut: z.boolean(),
    optedOutAt: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi('Contact');
export type Contact = z.infer<typeof Contact>;

export const Import = z
  .object({
    id: z.string(),
    listId: z.string(),
    status: z.enum(['queued', 'running', 'completed', 'failed']),
    rows: z.number().int(),
    created: z.number().int(),
    updated: z.number().int(),
    duplicates: z.number().int(),
    invalid: z.number().int(),
    errors: z.array(z.object({ row: z.number().int(), value: z.string(), reason: z.string() })),
    phoneColumn: z.string().optional(),
    delimiter: z.string().optional(),
    failure: z.string().nullable().openapi({ description: 'why the whole import failed' }),
    attempts: z.number().int().openapi({
      description:
        'attempts started: more than 1 when an attempt stopped without finishing (its worker died) and the import started again from zero',
    }),
    restartedAt: z
      .string()
      .nullable()
      .openapi({ description: 'when the latest attempt started again; null if it never had to' }),
    createdAt: z.string(),
    finishedAt: z.string().nullable(),
  })
  .openapi('Import');
export type Import = z.infer<typeof Import>;

export const ImportQuery = z.object({
  phoneColumn: z.string().trim().min(1).optional(),
  defaultCountry: z
    .string()
    .regex(/^[A-Za-z]{2}$/, 'must be an ISO 3166 alpha-2 country code')
    .transform((value) => value.toUpperCase())
    // Two letters are not enough: libphonenumber-js throws on a code it does not know (`ZZ`),
    // which failed the import job (found by the CSV fuzzing).
    .refine(isSupportedCountry, 'must be a country code libphonenumber knows, such as DE')
    .optional(),
  delimiter: z
    .enum([',', ';', '\t', '|', 'tab'])
    .transform((value) => (value === 'tab' ? '\t' : value))
    .optional(),
});
export type ImportQuery = z.infer<typeof ImportQuery>;

export const OptOut = z
  .object({
    phone: z.string(),
    contactId: z.string().nullable(),
    optedOutAt: z.string(),
    source: z.enum(['keyword', 'api']),
  })
  .openapi('OptOut');
export type OptOut = z.infer<typeof OptOut>;

export const CreateOptOut = z.object({ phone: z.string().min(1).max(64) }).openapi('CreateOptOut');
