import type { AppContext } from '../context';
import { createRouter } from '../http/openapi';
import { cancelCampaign } from './cancel-campaign';
import { createCampaign } from './create-campaign';
import { getCampaign, listCampaigns, listRuns } from './get-campaigns';
import { nextFirings } from './next-firings';
import { pauseCampaign } from './pause-campaign';
import { previewCampaign } from './preview-campaign';
import { resumeCampaign } from './resume-campaign';
import { retryCampaign } from './retry-campaign';
import {
  cancelSpec,
  createSpec,
  listSpec,
  nextFiringsSpec,
  pauseSpec,
  previewSpec,
  resumeSpec,
  retryFilter,
  retrySpec,
  runsSpec,
  showSpec,
  startSpec,
  updateSpec,
} from './route-specs';
import { startCampaign } from './start-campaign';
import { updateCampaign } from './update-campaign';

export function campaignRoutes(ctx: AppContext) {
  return createRouter()
    .openapi(createSpec, async (c) => c.json(await createCampaign(ctx, c.req.valid('json')), 201))
    .openapi(listSpec, async (c) => c.json(await listCampaigns(ctx, c.req.valid('query')), 200))
    .openapi(showSpec, async (c) =>
      c.json(await getCampaign(ctx, c.req.valid('param').campaignId), 200),
    )
    .openapi(updateSpec, async (c) =>
      c.json(await updateCampaign(ctx, c.req.valid('param').campaignId, c.req.valid('json')), 200),
    )
    .openapi(runsSpec, async (c) =>
      c.json(await listRuns(ctx, c.req.valid('param').campaignId), 200),
    )
    .openapi(previewSpec, async (c) =>
      c.json(await previewCampaign(ctx, c.req.valid('param').campaignId), 200),
    )
    .openapi(startSpec, async (c) =>
      c.json(await startCampaign(ctx, c.req.valid('param').campaignId, c.req.valid('json')), 200),
    )
    .openapi(pauseSpec, async (c) =>
      c.json(await pauseCampaign(ctx, c.req.valid('param').campaignId), 200),
    )
    .openapi(resumeSpec, async (c) =>
      c.json(await resumeCampaign(ctx, c.req.valid('param').campaignId, c.req.valid('json')), 200),
    )
    .openapi(cancelSpec, async (c) =>
      c.json(await cancelCampaign(ctx, c.req.valid('param').campaignId), 200),
    )
    .openapi(retrySpec, async (c) => {
      // Without a JSON body the validator is skipped and answers `{}`: retryFilter's defaults apply.
      const filter = retryFilter(c.req.valid('json'));
      return c.json(await retryCampaign(ctx, c.req.valid('param').campaignId, filter), 202);
    })
    .openapi(nextFiringsSpec, async (c) =>
      c.json(
        await nextFirings(
          c.req.valid('query'),
          ctx.config.MIN_SCHEDULE_INTERVAL_MINUTES,
          ctx.zoneNames,
        ),
        200,
      ),
    );
}
