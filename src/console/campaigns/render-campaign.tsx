import type { Context } from 'hono';
import { actorOf } from '../../access/actor';
import type { ConsoleDeps } from '../deps';
import { viewerZone } from '../ui/format';
import { CampaignPage } from './campaign-page';
import { loadCampaignPage, messageStatusOf } from './load-campaign';

/** The campaign's page, also shown again with the problem of an action that failed. */
export async function renderCampaign(deps: ConsoleDeps, c: Context, error?: string) {
  const id = c.req.param('id') ?? '';
  const status = messageStatusOf(c.req.query('status'));
  const cursor = c.req.query('cursor');
  const run = c.req.query('run');
  const data = await loadCampaignPage(deps.ctx, id, { status, cursor, run });
  return c.html(
    <CampaignPage
      actor={actorOf(c)}
      data={data}
      zone={viewerZone(c)}
      config={deps.ctx.config}
      messages={{ status, continued: cursor !== undefined }}
      done={error ? undefined : c.req.query('done')}
      error={error}
    />,
  );
}
