import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import PgBoss from 'pg-boss';
import { createApp } from '../src/app';
import { loadConfig } from '../src/config';
import { openDatabase } from '../src/db/client';
import { ZoneNames } from '../src/delivery/recipient-zone';
import { createLogger } from '../src/logger';
import { createMetrics } from '../src/metrics';
import { createSenderClients } from '../src/sending/sender-accounts';
import { createSendingState } from '../src/sending/sending-state';
import { EventApplier } from '../src/webhooks/applier';

/**
 * `tsx scripts/openapi.ts <file>`: writes the OpenAPI document that GET /openapi.json serves
 * under the default configuration, without a database. The app is built as the service builds
 * it; its database and queue are never connected, since postgres.js and pg-boss connect on their
 * first query and answering /openapi.json makes none.
 */
const file = process.argv[2];
if (!file) {
  console.error('usage: tsx scripts/openapi.ts <file>');
  process.exit(2);
}

const unused = 'postgres://openapi@127.0.0.1:1/never-connected';
const config = loadConfig({
  DATABASE_URL: unused,
  API_TOKEN: 'openapi-document-only',
  WEBHOOK_SECRET: 'openapi-document-only',
  LOG_LEVEL: 'silent',
});
const logger = createLogger(config.LOG_LEVEL);
const database = openDatabase(unused, logger);
const secrets = { apiToken: config.API_TOKEN ?? '', webhookSecret: config.WEBHOOK_SECRET ?? '' };
const { provider, senders } = createSenderClients({
  config,
  secrets,
  logger,
  db: database.db,
  sandbox: {},
});
const app = createApp({
  config,
  secrets,
  logger,
  database,
  boss: new PgBoss(unused),
  metrics: createMetrics(),
  provider,
  senders,
  applier: new EventApplier(),
  sending: createSendingState(),
  zoneNames: new ZoneNames(database.sql),
  workerId: 'openapi-document',
  stopping: AbortSignal.abort(),
});

const response = await app.request('/openapi.json');
if (response.status !== 200) throw new Error(`/openapi.json answered ${response.status}`);
mkdirSync(path.dirname(file), { recursive: true });
writeFileSync(file, `${JSON.stringify(await response.json(), null, 2)}\n`);
await database.close();
