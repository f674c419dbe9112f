import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createApp, createMetricsApp } from './app';
import { placeAgainForQuietHours } from './campaigns/quiet-hours-change';
import { type Scheduler, startScheduler } from './campaigns/scheduler';
import type { Config } from './config';
import type { AppContext } from './context';
import { keepAnalystRole } from './db/analyst-role';
import { openDatabase } from './db/client';
import { type EmbeddedDatabase, startEmbeddedPostgres } from './db/embedded';
import { DEFAULT_EMBEDDED_PG_PORT } from './db/embedded-port';
import { migrateDatabase } from './db/migrate';
import { ZoneNames } from './delivery/recipient-zone';
import { Housekeeping } from './housekeeping/housekeeping';
import type { Logger } from './logger';
import { createMetrics } from './metrics';
import type { SandboxOptions } from './provider/sandbox';
import { startBoss, startWorkers } from './queue/boss';
import type { RegisteredJob } from './queue/job';
import { jobs as registeredJobs } from './queue/registry';
import { resolveSecrets } from './secrets';
import { keepDefaultSender } from './senders/default-sender';
import { checkStoredCredentials } from './senders/stored-credentials';
import { startRecovery } from './sending/recovery';
import { createSenderClients } from './sending/sender-accounts';
import { createSendingState } from './sending/sending-state';
import { shutdown } from './shutdown';
import { ensureFirstAdmin } from './users/first-admin';
import { EventApplier } from './webhooks/applier';
import { WebhookSummary } from './webhooks/webhook-summary';

export type Service = {
  ctx: AppContext;
  /** The port the API listens on, when this process serves the API. */
  port?: number;
  /** The port of the METRICS_PORT listener, when there is one. */
  metricsPort?: number;
  stop(): Promise<void>;
};

/**
 * Starts what ROLE asks for: the database (embedded or external, one code path after the
 * connection), migrations, the queue, the workers (worker, all) and the HTTP API (api, all).
 */
export async function startService(
  config: Config,
  logger: Logger,
  options: {
    jobs?: RegisteredJob[];
    sandbox?: Omit<SandboxOptions, 'webhookUrl' | 'stopping'>;
  } = {},
): Promise<Service> {
  const jobs = options.jobs ?? registeredJobs;
  let embedded: EmbeddedDatabase | undefined;
  if (!config.DATABASE_URL) {
    // Stopped by the shutdown, last: the terminal's Ctrl-C must not reach it first.
    embedded = await startEmbeddedPostgres(config.DATA_DIR, logger, {
      detached: true,
      port: config.EMBEDDED_PG_PORT ?? { preferred: DEFAULT_EMBEDDED_PG_PORT },
    });
  }
  const url = config.DATABASE_URL ?? (embedded as EmbeddedDatabase).url;
  try {
    await migrateDatabase(url, logger);
    const secrets = await resolveSecrets(config);
    if (embedded) await keepAnalystRole(url, config.DATA_DIR, logger);
    const database = openDatabase(url, logger, { bulkMax: config.BULK_POOL_SIZE });
    try {
      await ensureFirstAdmin(database.db, config, logger);
      await keepDefaultSender(database.db, config, logger);
      await checkStoredCredentials(database.db, secrets, logger);
    } catch (error) {
      await database.close();
      throw error;
    }
    const runsWorkers = config.ROLE !== 'api';
    const stopping = new AbortController();
    const boss = await startBoss(url, logger, jobs, { supervise: runsWorkers });
    let webhookUrl: string | undefined;
    const sandbox = { ...options.sandbox, webhookUrl: () => webhookUrl, stopping: stopping.signal };
    const { provider, senders } = createSenderClients({
      config,
      secrets,
      logger,
      db: database.db,
      sandbox,
    });
    const ctx: AppContext = {
      config,
      secrets,
      logger,
      database,
      boss,
      metrics: createMetrics(),
      provider,
      senders,
      applier: new EventApplier(),
      sending: createSendingState(),
      zoneNames: new ZoneNames(database.sql),
      workerId: randomUUID(),
      stopping: stopping.signal,
    };
    // Every role applies stored webhook events: API processes as they store them, all of them
    // in a sweep for events that no one applied.
    ctx.applier.start(ctx);
    const webhookSummary = new WebhookSummary(ctx, config.WEBHOOK_LOG_SUMMARY_SECONDS * 1000);
    webhookSummary.start();
    let scheduler: Scheduler | undefined;
    let recovery: { stop(): Promise<void> } | undefined;
    let housekeeping: Housekeeping | undefined;
    if (runsWorkers) {
      recovery = startRecovery(ctx);
      housekeeping = new Housekeeping(ctx);
      housekeeping.start();
      await startWorkers(boss, jobs, ctx);
      await placeAgainForQuietHours(ctx);
      scheduler = startScheduler(ctx);
    }

    const servers: Server[] = [];
    let port: number | undefined;
    let metricsPort: number | undefined;
    if (config.ROLE !== 'worker') {
      const server = await listen(createApp(ctx), config.PORT, config.HOST);
      servers.push(server);
      port = (server.address() as AddressInfo).port;
    }
    if (config.METRICS_PORT !== undefined) {
      const server = await listen(createMetricsApp(ctx), config.METRICS_PORT, config.HOST);
      servers.push(server);
      metricsPort = (server.address() as AddressInfo).port;
    }
    // The sandbox provider posts its simulated acks and replies to this process's own webhook.
    if (port)
      webhookUrl = `http://127.0.0.1:${port}/webhooks/chat-api?secret=${encodeURIComponent(secrets.webhookSecret)}`;
    logger.info(
      { role: config.ROLE, port, metricsPort, embedded: Boolean(embedded) },
      'service started',
    );

    let stopped: Promise<void> | undefined;
    const stop = () => {
      stopping.abort();
      stopped ??= shutdown(ctx, {
        servers,
        scheduler,
        recovery,
        housekeeping,
        webhookSummary,
        embedded,
      });
      return stopped;
    };
    return { ctx, port, metricsPort, stop };
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
}

function listen(
  app: { fetch: (request: Request) => Response | Promise<Response> },
  port: number,
  hostname: string,
): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port, hostname }, () =>
      resolve(server as Server),
    ) as Server;
    server.once('error', reject);
  });
}
