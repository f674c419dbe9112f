import { z } from '@hono/zod-openapi';

export const SendMessage = z
  .object({
    phone: z.string().min(1).max(64),
    body: z.string().trim().min(1).max(4096),
  })
  .openapi('SendMessage');
export type SendMessage = z.infer<typeof SendMessage>;
