import type { AppContext } from '../context';
import { InFlightLimit } from '../http/in-flight';
import { createRouter } from '../http/openapi';
import { compareCampaigns } from './compare-campaigns';
import { exportMessages } from './export-messages';
import { getFailureReasons } from './get-failures';
import { getOverview } from './get-overview';
import { getCampaignProgress } from './get-progress';
import { getSenderStats } from './get-sender-stats';
import { getCampaignStats } from './get-stats';
import { listMessages } from './list-messages';
import {
  compareSpec,
  failuresSpec,
  messagesSpec,
  overviewSpec,
  progressSpec,
  senderStatsSpec,
  statsSpec,
} from './route-specs';
import { Turns } from './turns';

/** Accept: text/csv (or a text/csv preference over JSON) asks for the export. */
const wantsCsv = (accept: string | undefined) => /\btext\/csv\b/i.test(accept ?? '');

export function statsRoutes(ctx: AppContext) {
  const exports = {
    inFlight: new InFlightLimit(
      'export',
      ctx.config.EXPORTS_MAX_CONCURRENT,
      ctx.metrics.transfersInFlight,
    ),
    turns: new Turns(),
  };
  return createRouter()
    .openapi(statsSpec, async (c) =>
      c.json(
        await getCampaignStats(ctx, c.req.valid('param').campaignId, c.req.valid('query').run),
        200,
      ),
    )
    .openapi(progressSpec, async (c) =>
      c.json(await getCampaignProgress(ctx, c.req.valid('param').campaignId), 200),
    )
    .openapi(messagesSpec, async (c) => {
      const { campaignId: id } = c.req.valid('param');
      const query = c.req.valid('query');
      if (query.format !== 'csv' && !wantsCsv(c.req.header('accept')))
        return c.json(await listMessages(ctx, id, query), 200);
      const body = await exportMessages(ctx, id, query, exports);
      return c.body(body, 200, {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="campaign-${id}-messages.csv"`,
      });
    })
    .openapi(overviewSpec, async (c) => c.json(await getOverview(ctx, c.req.valid('query')), 200))
    .openapi(failuresSpec, async (c) =>
      c.json(await getFailureReasons(ctx, c.req.valid('query')), 200),
    )
    .openapi(compareSpec, async (c) =>
      c.json(await compareCampaigns(ctx, c.req.valid('query')), 200),
    )
    .openapi(senderStatsSpec, async (c) =>
      c.json(await getSenderStats(ctx, c.req.valid('param').senderId, c.req.valid('query')), 200),
    );
}
