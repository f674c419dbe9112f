import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createApp } from './app';
import { type Scheduler, startScheduler } from './campaigns/scheduler';
import type { Config } from './config';
import type { AppContext } from './context';
import { openDatabase } from './db/client';
import { type EmbeddedDatabase, startEmbeddedPostgres } from './db/embedded';
import { migrateDatabase } from './db/migrate';
import type { Logger } from './logger';
import { createMetrics } from './metrics';
import { createProvider } from './provider';
import type { SandboxOptions } from './provider/sandbox';
import { startBoss, startWorkers } from './queue/boss';
import type { RegisteredJob } from './queue/job';
import { jobs as registeredJobs } from './queue/registry';
import { resolveSecrets } from './secrets';
import { startRecovery } from './sending/recovery';
import { type EventApplier, startEventApplier } from './webhooks/applier';

export type Service = {
  ctx: AppContext;
  /** The port the API listens on, when this process serves the API. */
  port?: number;
  stop(): Promise<void>;
};

/**
 * Starts what ROLE asks for: the database (embedded or external, one code path after the
 * connection), migrations, the queue, the workers (worker, all) and the HTTP API (api, all).
 */
export async function startService(
  config: Config,
  logger: Logger,
  options: { jobs?: RegisteredJob[]; sandbox?: Omit<SandboxOptions, 'webhookUrl'> } = {},
): Promise<Service> {
  const jobs = options.jobs ?? registeredJobs;
  let embedded: EmbeddedDatabase | undefined;
  if (!config.DATABASE_URL) {
    embedded = await startEmbeddedPostgres(config.DATA_DIR, logger);
  }
  const url = config.DATABASE_URL ?? (embedded as EmbeddedDatabase).url;
  try {
    await migrateDatabase(url, logger);
    const secrets = await resolveSecrets(config);
    const database = openDatabase(url, logger, { bulkMax: config.BULK_POOL_SIZE });
    const runsWorkers = config.ROLE !== 'api';
    const stopping = new AbortController();
    const boss = await startBoss(url, logger, jobs, { supervise: runsWorkers });
    let webhookUrl: string | undefined;
    const provider = createProvider(config, logger, {
      ...options.sandbox,
      webhookUrl: () => webhookUrl,
    });
    const ctx: AppContext = {
      config,
      secrets,
      logger,
      database,
      boss,
      metrics: createMetrics(),
      provider,
      workerId: randomUUID(),
      stopping: stopping.signal,
    };
    // Every role applies stored webhook events: API processes as they store them, all of them
    // in a sweep for events that no one applied.
    const applier = startEventApplier(ctx);
    let scheduler: Scheduler | undefined;
    let recovery: { stop(): Promise<void> } | undefined;
    if (runsWorkers) {
      recovery = startRecovery(ctx);
      await startWorkers(boss, jobs, ctx);
      scheduler = startScheduler(ctx);
    }

    let server: Server | undefined;
    if (config.ROLE !== 'worker') {
      server = await listen(ctx);
    }
    const port = server ? (server.address() as AddressInfo).port : undefined;
    // The sandbox provider posts its simulated acks and replies to this process's own webhook.
    if (port)
      webhookUrl = `http://127.0.0.1:${port}/webhooks/chat-api?secret=${encodeURIComponent(secrets.webhookSecret)}`;
    logger.info({ role: config.ROLE, port, embedded: Boolean(embedded) }, 'service started');

    let stopped: Promise<void> | undefined;
    const stop = () => {
      stopping.abort();
      stopped ??= shutdown(ctx, server, { scheduler, recovery, applier }, embedded);
      return stopped;
    };
    return { ctx, port, stop };
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
}

function listen(ctx: AppContext): Promise<Server> {
  const app = createApp(ctx);
  return new Promise((resolve, reject) => {
    const server = serve(
      { fetch: app.fetch, port: ctx.config.PORT, hostname: ctx.config.HOST },
      () => resolve(server as Server),
    ) as Server;
    server.once('error', reject);
  });
}

/**
 * Stop taking requests and let those in flight finish; stop the scheduler; let running jobs finish (pg-boss hands
 * back what outlives the timeout once it expires); then close the queue, the pool and the
 * embedded server, in that order.
 */
async function shutdown(
  ctx: AppContext,
  server: Server | undefined,
  loops: { scheduler?: Scheduler; recovery?: { stop(): Promise<void> }; applier: EventApplier },
  embedded?: EmbeddedDatabase,
) {
  const { logger, config } = ctx;
  const timeoutMs = config.SHUTDOWN_TIMEOUT_SECONDS * 1000;
  logger.info('shutting down');
  if (server) {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const timer = setTimeout(() => server.closeAllConnections(), timeoutMs);
    await closed;
    clearTimeout(timer);
    logger.info('http server closed');
  }
  // Before the queue: a firing in flight queues its snapshot job through it.
  await loops.scheduler?.stop();
  await loops.applier.stop();
  // Dispatch jobs see ctx.stopping, finish the sends in flight, store them and return.
  await ctx.boss.stop({ graceful: true, wait: true, timeout: timeoutMs });
  logger.info('queue stopped');
  await loops.recovery?.stop();
  await ctx.provider.close();
  await ctx.database.close();
  await embedded?.stop();
  logger.info('stopped');
}
