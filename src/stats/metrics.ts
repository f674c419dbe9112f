import { Gauge } from 'prom-client';
import type { AppContext } from '../context';
import { figuresSql } from './figures-sql';

type Row = Record<(typeof figures)[number], number>;

const figures = [
  'audience',
  'pending',
  'sent',
  'delivered',
  'read',
  'failed',
  'skipped',
  'unknown',
  'replied',
  'opted_out',
  'follow_ups_sent',
  'windows_open',
] as const;

/** A scrape within this long of the last one reuses its figures: several scrapers, one query. */
const FRESH_MS = 10_000;

/**
 * `wa_campaign_messages{figure}`: the Stats figures over every campaign, counted on scrape from
 * the rows (no counters to drift), with the figure SQL of the stats endpoint: one aggregate
 * statement over all campaign messages (a sequential scan: hence the reuse between scrapes).
 * `replied` is distinct phones across all campaigns.
 */
export function registerStatsMetrics(ctx: AppContext): void {
  const { registry } = ctx.metrics;
  if (registry.getSingleMetric('wa_campaign_messages')) return;
  let last: { at: number; row: Row } | undefined;
  new Gauge({
    name: 'wa_campaign_messages',
    help: 'Campaign figures across all campaigns (Stats of API.md), counted on scrape',
    labelNames: ['figure'] as const,
    registers: [registry],
    async collect() {
      if (!last || Date.now() - last.at > FRESH_MS) {
        try {
          last = { at: Date.now(), row: await countAll(ctx) };
        } catch (error) {
          ctx.logger.warn({ err: error }, 'stats metrics: count failed');
          return;
        }
      }
      for (const figure of figures) this.set({ figure }, last.row[figure]);
    },
  });
}

async function countAll(ctx: AppContext): Promise<Row> {
  const [row] = await ctx.database.sql<Row[]>`
    select ${ctx.database.sql.unsafe(figuresSql)},
      (select count(*) from opt_outs
        where source = 'keyword' and campaign_id is not null)::int as opted_out,
      (select count(*) from conversations
        where campaign_id is not null and window_expires_at > now())::int as windows_open
    from messages m
    where m.campaign_id is not null`;
  if (!row) throw new Error('the metrics statement returned no row');
  return row;
}
