import { z } from '@hono/zod-openapi';

export const CreateList = z
  .object({ name: z.string().trim().min(1).max(200), description: z.string().max(2000).optional() })
  .openapi('CreateList');
export type CreateList = z.infer<typeof CreateList>;

export const UpdateList = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    description: z.string().max(2000).nullable().optional(),
  })
  .openapi('UpdateList');
export type UpdateList = z.infer<typeof UpdateList>;

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

export const ListAttributes = z
  .object({
    names: z.array(z.string()).openapi({
      description:
        "the attribute names (CSV columns) of the list's contacts, alphabetical, at most 200: what `{{name}}` placeholders can use",
    }),
    sampled: z.number().int().openapi({
      description:
        'the contacts read: the first and last 500 of the list in id order (the oldest and the newest), all of a smaller list',
    }),
  })
  .openapi('ListAttributes');
export type ListAttributes = z.infer<typeof ListAttributes>;
