import type { Server } from 'node:http';
import type { Scheduler } from './campaigns/scheduler';
import type { AppContext } from './context';
import type { EmbeddedDatabase } from './db/embedded';
import type { Housekeeping } from './housekeeping/housekeeping';
import type { Logger } from './logger';
import type { WebhookSummary } from './webhooks/webhook-summary';

/** The end of SHUTDOWN_TIMEOUT_SECONDS kept for closing the queue, the pool and the database. */
const CLOSING_MS = 5000;

export type Running = {
  /** The API's listener and METRICS_PORT's, when this process has them. */
  servers: Server[];
  scheduler?: Scheduler;
  recovery?: { stop(): Promise<void> };
  housekeeping?: Housekeeping;
  webhookSummary: WebhookSummary;
  embedded?: EmbeddedDatabase;
};

/**
 * Stops taking requests and lets those in flight finish; stops the scheduler; lets running jobs
 * finish; then closes the queue, the pool and the embedded server, in that order, the database
 * last. Everything fits in SHUTDOWN_TIMEOUT_SECONDS: the work in flight has it less its last
 * CLOSING_MS (at most half of it), then each step that is not done in time is left behind with a
 * warning (a job cut short is taken over later, as after a crash), so that the process ends.
 */
export async function shutdown(ctx: AppContext, running: Running): Promise<void> {
  const { logger, config } = ctx;
  const timeoutMs = config.SHUTDOWN_TIMEOUT_SECONDS * 1000;
  const end = Date.now() + timeoutMs;
  const closingMs = Math.min(CLOSING_MS, timeoutMs / 2);
  const workEnd = end - closingMs;
  const { servers, scheduler, recovery, housekeeping, webhookSummary, embedded } = running;
  logger.info('shutting down');
  await Promise.all(servers.map((server) => closeServer(server, workEnd - Date.now())));
  if (servers.length > 0) logger.info('http server closed');
  // Before the queue: a firing in flight queues its snapshot job through it.
  await within(workEnd, 'scheduler', scheduler?.stop(), logger);
  await within(workEnd, 'webhook event applier', ctx.applier.stop(), logger);
  await within(workEnd, 'webhook summary', webhookSummary.stop(), logger);
  // Dispatch jobs see ctx.stopping, finish the sends in flight, store them and return.
  const queue = ctx.boss.stop({ graceful: true, wait: true, timeout: workEnd - Date.now() });
  if (await within(end - closingMs / 2, 'queue', queue, logger)) logger.info('queue stopped');
  await within(end, 'recovery sweep', recovery?.stop(), logger);
  await within(end, 'housekeeping', housekeeping?.stop(), logger);
  await within(end, 'provider', ctx.provider.close(), logger);
  await within(end, 'senders', ctx.senders.close(), logger);
  await within(end, 'database pool', ctx.database.close(), logger);
  await embedded?.stop(Math.max(end - Date.now(), 1000));
  logger.info('stopped');
}

/** Lets the requests in flight finish for `timeoutMs`, then cuts the connections left. */
async function closeServer(server: Server, timeoutMs: number): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const timer = setTimeout(() => server.closeAllConnections(), Math.max(0, timeoutMs));
  await closed;
  clearTimeout(timer);
}

/** Waits for `work` until `deadline`; answers whether it ended in time (a failure is logged). */
async function within(
  deadline: number,
  what: string,
  work: Promise<unknown> | undefined,
  logger: Logger,
): Promise<boolean> {
  if (!work) return true;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), Math.max(0, deadline - Date.now()));
  });
  const result = await Promise.race([
    work.then(
      () => 'done' as const,
      (error: unknown) => {
        logger.warn({ err: error, what }, 'shutdown: a part failed to stop');
        return 'failed' as const;
      },
    ),
    late,
  ]);
  clearTimeout(timer);
  if (result === 'late') logger.warn({ what }, 'shutdown: a part did not stop in time; going on');
  return result === 'done';
}
