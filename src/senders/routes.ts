import type { AppContext } from '../context';
import { createRouter } from '../http/openapi';
import { createSender } from './create-sender';
import { deleteSender } from './delete-sender';
import { getSender, listSenders } from './get-senders';
import {
  createSenderSpec,
  deleteSenderSpec,
  getSenderSpec,
  listSendersSpec,
  updateSenderSpec,
} from './route-specs';
import { ChatApiCredentials, CloudApiCredentials } from './schemas';
import { updateSender } from './update-sender';

/** Sending numbers: every role reads them, admins change them (src/access/permissions.ts). */
export function senderRoutes(ctx: AppContext) {
  const router = createRouter();
  // Named in the descriptions, checked by the verbs (credentials.ts): listed in the document.
  router.openAPIRegistry.register('ChatApiCredentials', ChatApiCredentials);
  router.openAPIRegistry.register('CloudApiCredentials', CloudApiCredentials);
  return router
    .openapi(listSendersSpec, async (c) =>
      c.json(await listSenders(ctx, c.req.valid('query')), 200),
    )
    .openapi(createSenderSpec, async (c) =>
      c.json(await createSender(ctx, c.req.valid('json')), 201),
    )
    .openapi(getSenderSpec, async (c) =>
      c.json(await getSender(ctx, c.req.valid('param').senderId), 200),
    )
    .openapi(updateSenderSpec, async (c) =>
      c.json(await updateSender(ctx, c.req.valid('param').senderId, c.req.valid('json')), 200),
    )
    .openapi(deleteSenderSpec, async (c) => {
      await deleteSender(ctx, c.req.valid('param').senderId);
      return c.body(null, 204);
    });
}
