import { Hono } from 'hono';
import { actorOf } from '../../access/actor';
import type { ConsoleDeps } from '../deps';
import { EmptyState, Page } from '../layout';

/** The Templates area of the console. */
export function templatePages(_deps: ConsoleDeps) {
  return new Hono().get('/templates', (c) =>
    c.html(
      <Page actor={actorOf(c)} area="templates" title="Templates">
        <EmptyState title="Templates">This page is being built.</EmptyState>
      </Page>,
    ),
  );
}
