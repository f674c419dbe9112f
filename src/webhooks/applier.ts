import type { AppContext } from '../context';
import { APPLY_BATCH, applyStoredEvents } from './apply-events';

/**
 * Applies stored webhook events in this service: `delayMs` after the webhook route has stored
 * one (`kick`), and every `sweepMs` for events that no one applied (a process that stored them
 * and died, a transaction that failed, another process's events). One drain at a time per
 * service; a kick during a drain makes it go round once more. The short delay gathers a burst
 * into one batch: applying each event in a transaction of its own cost 40% of the webhook's
 * throughput (measured with the webhook benchmark), while a few milliseconds cost nothing.
 * Created with the context (the webhook route kicks `ctx.applier`), started once the context
 * exists; a kick before the start or after the stop does nothing.
 */
export class EventApplier {
  private ctx: AppContext | undefined;
  private draining: Promise<void> | undefined;
  private scheduled: NodeJS.Timeout | undefined;
  private timer: NodeJS.Timeout | undefined;
  private again = false;
  private stopped = false;

  constructor(
    private readonly sweepMs = 1000,
    private readonly delayMs = 20,
  ) {}

  start(ctx: AppContext): void {
    this.ctx = ctx;
    this.timer = setInterval(() => this.drainNow(), this.sweepMs);
    this.timer.unref();
  }

  /** Called by the webhook route after it stored an event. */
  kick(): void {
    if (!this.ctx || this.stopped) return;
    this.scheduled ??= setTimeout(() => {
      this.scheduled = undefined;
      this.drainNow();
    }, this.delayMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    clearTimeout(this.scheduled);
    await this.draining;
  }

  private drainNow(): void {
    const ctx = this.ctx;
    if (!ctx || this.stopped) return;
    if (this.draining) {
      this.again = true;
      return;
    }
    this.again = false;
    this.draining = this.drain(ctx).finally(() => {
      this.draining = undefined;
      if (this.again) this.drainNow();
    });
  }

  private async drain(ctx: AppContext): Promise<void> {
    try {
      while (!this.stopped && (await applyStoredEvents(ctx)) >= APPLY_BATCH) {
        // a full batch: there may be more right behind it
      }
    } catch (error) {
      ctx.logger.error({ err: error }, 'applying webhook events failed; the sweep retries');
    }
  }
}
