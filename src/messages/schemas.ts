import { z } from '@hono/zod-openapi';

export const SendMessage = z
  .object({
    phone: z.string().min(1).max(64),
    body: z.string().trim().min(1).max(4096),
    senderId: z.uuid().optional().openapi({
      description:
        'The sending number to answer from: its window with the phone must be open. Default: the sender whose window with the phone closes last.',
    }),
  })
  .openapi('SendMessage');
export type SendMessage = z.infer<typeof SendMessage>;
