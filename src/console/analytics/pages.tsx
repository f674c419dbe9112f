import type { Context } from 'hono';
import { Hono } from 'hono';
import { stream } from 'hono/streaming';
import { actorOf } from '../../access/actor';
import { AppError } from '../../errors';
import { compareCampaigns } from '../../stats/compare-campaigns';
import { csvLine } from '../../stats/csv-cell';
import type { ConsoleDeps } from '../deps';
import { AnalyticsPage } from './analytics-page';
import { campaignColumns, csvText } from './campaign-columns';
import { apiPeriod, loadAnalytics, periodOf, sortingOf } from './load';

/** Rows the CSV asks the ranking for at a time. */
const CSV_PAGE = 1000;

/** This page's URL with some of its query changed (undefined removes a parameter). */
const hrefOf = (c: Context) => (changes: Record<string, string | undefined>) => {
  const query = new URLSearchParams(new URL(c.req.url).search);
  for (const [name, value] of Object.entries(changes))
    if (value === undefined) query.delete(name);
    else query.set(name, value);
  return `/analytics?${query.toString()}`;
};

/** The Analytics area: the page, and the campaigns table as CSV. */
export function analyticsPages(deps: ConsoleDeps) {
  return new Hono()
    .get('/analytics', async (c) => {
      const { zone, choice } = periodOf(c);
      const sorting = sortingOf(c);
      const data = choice.ok
        ? await loadAnalytics(deps, choice.period, zone, {
            ...sorting,
            cursor: c.req.query('cursor'),
          })
        : undefined;
      return c.html(
        <AnalyticsPage
          actor={actorOf(c)}
          zone={zone}
          choice={choice}
          sorting={sorting}
          href={hrefOf(c)}
          data={data}
        />,
      );
    })
    .get('/analytics/campaigns.csv', async (c) => {
      const { zone, choice } = periodOf(c);
      if (!choice.ok) throw new AppError('bad_request', Object.values(choice.errors).join('. '));
      const { period } = choice;
      const query = { ...apiPeriod(period, zone), ...sortingOf(c), limit: CSV_PAGE };
      // the first page before the answer starts: a wrong query is an error page, not a cut file
      const first = await compareCampaigns(deps.ctx, query);
      c.header('Content-Type', 'text/csv; charset=utf-8');
      c.header(
        'Content-Disposition',
        `attachment; filename="campaigns-${period.first}-to-${period.last}.csv"`,
      );
      return stream(c, async (out) => {
        await out.write(csvLine(campaignColumns.map((column) => column.label)));
        let page = first;
        for (;;) {
          for (const row of page.data)
            await out.write(csvLine(campaignColumns.map((column) => csvText(column, row))));
          if (!page.nextCursor) break;
          page = await compareCampaigns(deps.ctx, { ...query, cursor: page.nextCursor });
        }
      });
    });
}
