import { deleteOldAuditEvents } from '../audit/delete-old-events';
import type { AppContext } from '../context';
import { showSenderStatuses } from '../metrics';
import { compactCounts } from '../stats/compact-counts';
import { queueTemplateSync } from '../templates/template-sync.job';
import { deleteEndedSessions } from '../users/sessions';
import { deleteOldLoginFailures } from '../users/sign-in';
import { pruneWebhookEvents } from '../webhooks/prune-events';
import { countPendingMessages, forgetOldWorkers, readSenderStatuses } from './queries';

/** A round this often: stats never sum more than a round's worth of appended counter rows. */
const ROUND_MS = 2000;
/**
 * Old webhook and audit events, ended sessions and old sign-in failures go this often, and the
 * period's template sync is queued (once a period, whoever queues it).
 */
const PRUNE_MS = 60_000;

/**
 * The chores of a worker that are not sending nor recovery, in a loop of their own: folds the
 * stats counters (compactCounts), refreshes `wa_pending_messages` and `wa_sender_status`, forgets workers silent for a
 * day, and once a minute deletes old webhook events (pruneWebhookEvents), audit events past
 * AUDIT_RETENTION_DAYS, ended console sessions and sign-in failures past the throttle's minute,
 * and queues the templates' sync of the TEMPLATE_SYNC_MINUTES period (template-sync.job.ts). A failed round is
 * logged and tried again at the next; a slow one delays the next, never overlaps it.
 */
export class Housekeeping {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();
  private prunedAt = 0;
  private stopped = false;

  constructor(private readonly ctx: AppContext) {}

  start(): void {
    this.running = this.round();
    this.timer = setInterval(() => {
      this.running = this.running.then(() => this.round());
    }, ROUND_MS);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
  }

  private async round(): Promise<void> {
    const { ctx } = this;
    if (this.stopped) return;
    try {
      const { sql, db } = ctx.database;
      await compactCounts(sql);
      ctx.metrics.pendingMessages.set(await countPendingMessages(db));
      showSenderStatuses(ctx.metrics, await readSenderStatuses(db), true);
      await forgetOldWorkers(db);
      if (Date.now() - this.prunedAt >= PRUNE_MS) {
        this.prunedAt = Date.now();
        const pruned = await pruneWebhookEvents(sql, ctx.config.WEBHOOK_EVENTS_RETENTION_DAYS);
        if (pruned > 0) ctx.logger.info({ events: pruned }, 'old webhook events deleted');
        const audit = await deleteOldAuditEvents(ctx);
        if (audit > 0) ctx.logger.info({ events: audit }, 'old audit events deleted');
        await deleteEndedSessions(ctx);
        await deleteOldLoginFailures(ctx);
        await queueTemplateSync(ctx);
      }
    } catch (error) {
      ctx.logger.warn({ err: error }, 'housekeeping failed; trying again');
    }
  }
}
