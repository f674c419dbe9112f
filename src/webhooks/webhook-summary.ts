import type { AppContext } from '../context';

type Totals = { stored: number; refused: number; messages: number; acks: number };

/**
 * One `info` line per period (WEBHOOK_LOG_SUMMARY_SECONDS) with the webhook traffic this process
 * took: bodies stored and refused by the route, messages and acks applied. Each webhook request
 * is logged at `debug` only (src/http/request-log.ts): while a campaign sends, acks come hundreds
 * a second. The counts are the growth of the webhook counters of the service's own metrics
 * registry, so they agree with /metrics; a period with nothing logs nothing. The service creates
 * one per process and stops it after the event applier, and the stop logs the last period.
 */
export class WebhookSummary {
  private timer: NodeJS.Timeout | undefined;
  private last: Totals = { stored: 0, refused: 0, messages: 0, acks: 0 };
  private since = Date.now();

  constructor(
    private readonly ctx: AppContext,
    private readonly periodMs: number,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.flush(), this.periodMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  private async flush(): Promise<void> {
    const now = await this.totals();
    const taken = {
      stored: now.stored - this.last.stored,
      refused: now.refused - this.last.refused,
      messages: now.messages - this.last.messages,
      acks: now.acks - this.last.acks,
    };
    const seconds = Math.round((Date.now() - this.since) / 1000);
    this.last = now;
    this.since = Date.now();
    if (Object.values(taken).some((n) => n > 0))
      this.ctx.logger.info({ seconds, ...taken }, 'webhook events taken');
  }

  private async totals(): Promise<Totals> {
    const { requests, events } = this.ctx.metrics.webhooks;
    const totals: Totals = { stored: 0, refused: 0, messages: 0, acks: 0 };
    for (const { value, labels } of (await requests.get()).values) {
      if (labels.result === 'stored') totals.stored += value;
      else totals.refused += value;
    }
    for (const { value, labels } of (await events.get()).values) {
      if (labels.kind === 'message') totals.messages += value;
      if (labels.kind === 'ack') totals.acks += value;
    }
    return totals;
  }
}
