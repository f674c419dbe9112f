import type { Context } from 'hono';
import { compareCampaigns } from '../../stats/compare-campaigns';
import { getFailureReasons } from '../../stats/get-failures';
import { getOverview } from '../../stats/get-overview';
import { COMPARED_SORTS } from '../../stats/queries';
import type { ConsoleDeps } from '../deps';
import { viewerZone } from '../ui/format';
import type { SortKey } from './campaign-columns';
import type { Sorting } from './campaigns-table';
import { type ChosenPeriod, choosePeriod } from './period';

/** Campaigns a page of the table shows; the CSV takes them all, a thousand at a time. */
export const TABLE_ROWS = 100;

const isSort = (value: string | undefined): value is SortKey =>
  value !== undefined && Object.hasOwn(COMPARED_SORTS, value);

/** The table's sort from the query: sent, highest first, unless it names another. */
export function sortingOf(c: Context): Sorting {
  const sort = c.req.query('sort');
  const order = c.req.query('order');
  return {
    sort: isSort(sort) ? sort : 'sent',
    order: order === 'asc' || order === 'desc' ? order : sort === 'name' ? 'asc' : 'desc',
  };
}

/** The period and the zone of a request: the picker's choice in the viewer's zone. */
export function periodOf(c: Context) {
  const zone = viewerZone(c);
  const choice = choosePeriod(
    { period: c.req.query('period'), from: c.req.query('from'), to: c.req.query('to') },
    zone,
  );
  return { zone, choice };
}

/** The stats API's query for a period: its days, read in the viewer's zone. */
export const apiPeriod = (period: ChosenPeriod, zone: string) => ({
  from: period.from,
  to: period.to,
  timezone: zone,
});

/**
 * Everything the page shows, through the stats feature's own functions (the ones behind
 * GET /v1/stats/overview, /v1/stats/failures and /v1/stats/campaigns), so every figure equals
 * the API's for the same period.
 */
export async function loadAnalytics(
  deps: ConsoleDeps,
  period: ChosenPeriod,
  zone: string,
  table: Sorting & { cursor?: string },
) {
  const query = apiPeriod(period, zone);
  const [overview, failures, campaigns] = await Promise.all([
    getOverview(deps.ctx, { ...query, interval: period.interval }),
    getFailureReasons(deps.ctx, query),
    compareCampaigns(deps.ctx, { ...query, ...table, limit: TABLE_ROWS }),
  ]);
  return { overview, failures, campaigns };
}
