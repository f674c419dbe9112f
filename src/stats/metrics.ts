import { Gauge } from 'prom-client';
import type { AppContext } from '../context';
import type { Sql } from '../db/client';
import { type RawCounts, sumOfCampaignStats } from './queries';

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
] as const satisfies readonly (keyof RawCounts)[];

type Row = Pick<RawCounts, (typeof figures)[number]>;

/**
 * `wa_campaign_messages{figure}`: the Stats figures summed over every campaign. `replied` is the
 * sum of the campaigns' `replied`, so a phone that replied to two campaigns counts twice.
 */
export function registerStatsMetrics(ctx: AppContext): void {
  const { registry } = ctx.metrics;
  if (registry.getSingleMetric('wa_campaign_messages')) return;
  const latest = new LatestFigures(ctx);
  new Gauge({
    name: 'wa_campaign_messages',
    help: 'Campaign figures summed over all campaigns (the Stats of each campaign), at most METRICS_REFRESH_SECONDS old as of the previous scrape',
    labelNames: ['figure'] as const,
    registers: [registry],
    async collect() {
      const row = await latest.get();
      if (row) for (const figure of figures) this.set({ figure }, row[figure]);
    },
  });
}

/**
 * The figures as last counted. A scrape answers with them at once and, when they are older than
 * METRICS_REFRESH_SECONDS and no count is under way, starts one for the scrapes after it: one
 * count at a time, at most one per interval, however many scrape and however slow the database
 * is. Only a scrape before the first count ends waits for it (there is nothing to show yet). A
 * failed count keeps the last figures and logs a warning.
 */
class LatestFigures {
  private row: Row | undefined;
  private startedAt = Number.NEGATIVE_INFINITY;
  private counting: Promise<void> | undefined;

  constructor(private readonly ctx: AppContext) {}

  async get(): Promise<Row | undefined> {
    const intervalMs = this.ctx.config.METRICS_REFRESH_SECONDS * 1000;
    if (!this.counting && Date.now() - this.startedAt >= intervalMs) {
      this.startedAt = Date.now();
      this.counting = this.count().finally(() => {
        this.counting = undefined;
      });
    }
    if (!this.row) await this.counting;
    return this.row;
  }

  private async count(): Promise<void> {
    try {
      this.row = await sumCampaignStats(this.ctx.database.sql);
    } catch (error) {
      this.ctx.logger.warn({ err: error }, 'metrics: counting the campaign figures failed');
    }
  }
}

/**
 * The campaign_stats view (what GET /v1/campaigns/{id}/stats answers) summed over campaigns: it
 * reads the counter tables, a few index reads per campaign, never the message rows.
 */
async function sumCampaignStats(sql: Sql): Promise<Row> {
  const row = await sumOfCampaignStats(sql, figures);
  if (!row) throw new Error('the sum of campaign_stats returned no row');
  return row;
}
