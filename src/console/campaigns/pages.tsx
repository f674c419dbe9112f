import { Hono } from 'hono';
import { actorOf } from '../../access/actor';
import { countCampaignsByStatus, getCampaign, listCampaigns } from '../../campaigns/get-campaigns';
import { listProgress } from '../../stats/get-progress';
import type { ConsoleDeps } from '../deps';
import { viewerZone } from '../ui/format';
import { writeRoutes } from './campaign-writes';
import { liveFigures } from './figures';
import { CampaignListPage, listFilters } from './list-page';
import { loadFigures } from './load-campaign';
import { renderCampaign } from './render-campaign';

/** Campaigns on a page of the list: the API's default page. */
const CAMPAIGNS_PER_PAGE = 50;

/**
 * The Campaigns area: the list and a campaign's page, its live figures, and the confirmations
 * of its actions. Creating, editing and launching a campaign are the campaign form's
 * (src/console/campaign-form/, mounted before this router): only linked from here.
 */
export function campaignPages(deps: ConsoleDeps) {
  const { ctx } = deps;
  return new Hono()
    .get('/campaigns', async (c) => {
      const filter = listFilters.find((each) => each.key === c.req.query('show')) ?? listFilters[0];
      const cursor = c.req.query('cursor');
      const [counts, page] = await Promise.all([
        countCampaignsByStatus(ctx),
        listCampaigns(ctx, {
          limit: CAMPAIGNS_PER_PAGE,
          cursor,
          status: filter.statuses && [...filter.statuses],
        }),
      ]);
      const progress = await listProgress(
        ctx,
        page.data.map((campaign) => campaign.id),
      );
      return c.html(
        <CampaignListPage
          actor={actorOf(c)}
          filter={filter}
          counts={counts}
          page={page}
          progress={progress}
          continued={cursor !== undefined}
          zone={viewerZone(c)}
        />,
      );
    })
    .get('/campaigns/:id', (c) => renderCampaign(deps, c))
    .get('/campaigns/:id/live', async (c) => {
      const id = c.req.param('id');
      await getCampaign(ctx, id);
      return deps.live.stream(c, `campaign:${id}`, async () => {
        const { stats, progress, waiting } = await loadFigures(ctx, id);
        return liveFigures(stats, progress, waiting);
      });
    })
    .route('/', writeRoutes(deps));
}
