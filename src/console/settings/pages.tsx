import { Hono } from 'hono';
import { actorOf } from '../../access/actor';
import type { ConsoleDeps } from '../deps';
import { EmptyState, Page } from '../layout';

/** The Settings area of the console. */
export function settingsPages(_deps: ConsoleDeps) {
  return new Hono().get('/settings', (c) =>
    c.html(
      <Page actor={actorOf(c)} area="settings" title="Settings">
        <EmptyState title="Settings">This page is being built.</EmptyState>
      </Page>,
    ),
  );
}
