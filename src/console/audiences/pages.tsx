import { Hono } from 'hono';
import { actorOf } from '../../access/actor';
import type { ConsoleDeps } from '../deps';
import { EmptyState, Page } from '../layout';

/** The Audiences area of the console. */
export function audiencePages(_deps: ConsoleDeps) {
  return new Hono().get('/audiences', (c) =>
    c.html(
      <Page actor={actorOf(c)} area="audiences" title="Audiences">
        <EmptyState title="Audiences">This page is being built.</EmptyState>
      </Page>,
    ),
  );
}
