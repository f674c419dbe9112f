import { Hono } from 'hono';
import { actorOf } from '../../access/actor';
import type { ConsoleDeps } from '../deps';
import { EmptyState, Page } from '../layout';

/** The Conversations area of the console. */
export function conversationPages(_deps: ConsoleDeps) {
  return new Hono().get('/conversations', (c) =>
    c.html(
      <Page actor={actorOf(c)} area="conversations" title="Conversations">
        <EmptyState title="Conversations">This page is being built.</EmptyState>
      </Page>,
    ),
  );
}
