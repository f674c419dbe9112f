import type { AppContext } from '../context';
import { createRouter } from '../http/openapi';
import { getConversation } from './get-conversation';
import { listConversations } from './list-conversations';
import { listThread } from './list-thread';
import { conversationSpec, conversationsSpec, threadSpec } from './route-specs';

/** The phones that wrote to us, and each one's thread. */
export function conversationRoutes(ctx: AppContext) {
  return createRouter()
    .openapi(conversationsSpec, async (c) =>
      c.json(await listConversations(ctx, c.req.valid('query')), 200),
    )
    .openapi(conversationSpec, async (c) =>
      c.json(await getConversation(ctx, c.req.valid('param').phone), 200),
    )
    .openapi(threadSpec, async (c) =>
      c.json(await listThread(ctx, c.req.valid('param').phone, c.req.valid('query')), 200),
    );
}
