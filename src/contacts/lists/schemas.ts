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
