import type { AppContext } from '../context';
import { APPLY_BATCH, applyStoredEvents } from './apply-events';

export type EventApplier = { kick(): void; stop(): Promise<void> };

const appliers = new WeakMap<AppContext, EventApplier>();

/**
 * Applies stored webhook events in this process: `delayMs` after the webhook route has stored
 * one (`kick`), and every `sweepMs` for events that no one applied (a process that stored them
 * and died, a transaction that failed, another process's events). One drain at a time per
 * process; a kick during a drain makes it go round once more. The short delay gathers a burst
 * into one batch: applying each event in a transaction of its own cost 40% of the webhook's
 * throughput (measured with the webhook benchmark), while a few milliseconds cost nothing.
 */
export function startEventApplier(ctx: AppContext, sweepMs = 1000, delayMs = 20): EventApplier {
  let draining: Promise<void> | undefined;
  let scheduled: NodeJS.Timeout | undefined;
  let again = false;
  let stopped = false;

  const drain = async () => {
    try {
      while (!stopped && (await applyStoredEvents(ctx)) >= APPLY_BATCH) {
        // a full batch: there may be more right behind it
      }
    } catch (error) {
      ctx.logger.error({ err: error }, 'applying webhook events failed; the sweep retries');
    }
  };

  const kick = () => {
    if (stopped) return;
    if (draining) {
      again = true;
      return;
    }
    again = false;
    draining = drain().finally(() => {
      draining = undefined;
      if (again) kick();
    });
  };

  const timer = setInterval(kick, sweepMs);
  timer.unref();
  const applier: EventApplier = {
    kick: () => {
      scheduled ??= setTimeout(() => {
        scheduled = undefined;
        kick();
      }, delayMs);
    },
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      clearTimeout(scheduled);
      await draining;
      appliers.delete(ctx);
    },
  };
  appliers.set(ctx, applier);
  return applier;
}

/** Called by the webhook route after it stored an event; a no-op where no applier runs. */
export function kickApplier(ctx: AppContext): void {
  appliers.get(ctx)?.kick();
}
