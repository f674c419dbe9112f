import { Hono } from 'hono';
import { actorOf } from '../../access/actor';
import type { ConsoleDeps } from '../deps';
import { EmptyState, Page } from '../layout';

/** The Analytics area of the console. */
export function analyticsPages(_deps: ConsoleDeps) {
  return new Hono().get('/analytics', (c) =>
    c.html(
      <Page actor={actorOf(c)} area="analytics" title="Analytics">
        <EmptyState title="Analytics">This page is being built.</EmptyState>
      </Page>,
    ),
  );
}
