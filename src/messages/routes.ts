import type { AppContext } from '../context';
import { createRouter } from '../http/openapi';
import { getMessage } from './get-message';
import { getMessageSpec, sendSpec } from './route-specs';
import { sendFreeFormMessage } from './send-message';

/** Free-form messages, and any message by its id. */
export function messageRoutes(ctx: AppContext) {
  return createRouter()
    .openapi(sendSpec, async (c) =>
      c.json(await sendFreeFormMessage(ctx, c.req.valid('json')), 202),
    )
    .openapi(getMessageSpec, async (c) =>
      c.json(await getMessage(ctx, c.req.valid('param').messageId), 200),
    );
}
