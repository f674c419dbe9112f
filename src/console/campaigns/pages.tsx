import { Hono } from 'hono';
import { actorOf } from '../../access/actor';
import type { ConsoleDeps } from '../deps';
import { EmptyState, Page } from '../layout';

/** The Campaigns area of the console. */
export function campaignPages(_deps: ConsoleDeps) {
  return new Hono().get('/campaigns', (c) =>
    c.html(
      <Page actor={actorOf(c)} area="campaigns" title="Campaigns">
        <EmptyState title="Campaigns">This page is being built.</EmptyState>
      </Page>,
    ),
  );
}
